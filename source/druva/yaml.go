package druva

import "github.com/ssoaudit/ssoaudit/internal/yamlfile"

// FileError is a problem in druva.yaml, located by line so a person can fix it.
// The command line exits 2 on it (docs/cli.md).
type FileError = yamlfile.FileError

// MaxFileSize is the largest druva.yaml accepted.
const MaxFileSize = yamlfile.MaxFileSize

// parser reads druva.yaml with the strict helpers every hand-written file shares.
type parser struct{ yamlfile.Parser }
