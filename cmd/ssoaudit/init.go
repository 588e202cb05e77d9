package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/source/druva"
)

func (e *env) init(args []string) int {
	flags := e.newFlags("init", "Usage: ssoaudit init [--dir DIR]\n\nWrites a commented .ssoaudit.yaml and a druva.yaml template (each Druva console\nfield explained) into DIR. Existing files are never overwritten.\n")
	dir := flags.String("dir", ".", "write the templates into `DIR`")
	pos, code, ok := e.parse(flags, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return e.fail(audit.ExitUsage, "init takes no arguments")
	}
	files := []struct{ name, body string }{
		{".ssoaudit.yaml", config.Template},
		{"druva.yaml", druva.Template},
	}
	// Check both first, so init writes both files or neither.
	for _, f := range files {
		p := filepath.Join(*dir, f.name)
		if _, err := os.Lstat(p); err == nil {
			return e.fail(audit.ExitUsage, "%s already exists; init never overwrites a file (move it away to start afresh)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return e.fail(audit.ExitUsage, "%v", err)
		}
	}
	for _, f := range files {
		p := filepath.Join(*dir, f.name)
		fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		_, werr := fh.WriteString(f.body)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return e.fail(audit.ExitUsage, "write %s: %v", p, werr)
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", e.shown(p))
	}
	fmt.Fprintln(e.stdout, "Next: fill in druva.yaml from the Druva console (Settings > Single Sign-On):\n"+
		"replace its placeholders and uncomment admins: and profiles: with the\n"+
		"console's values. Then run\n"+
		"  ssoaudit scan --okta-org https://ORG.okta.com --app-id APP_ID \\\n"+
		"    --druva druva.yaml")
	return audit.ExitOK
}
