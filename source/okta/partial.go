// Partial snapshots a killed run left behind.

package okta

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ownerFile, inside a snapshot being built, names the process building it;
// it is removed before the snapshot appears.
const ownerFile = ".ssoaudit-owner"

func ownerStamp() string {
	host, _ := os.Hostname()
	return strconv.Itoa(os.Getpid()) + " " + host + "\n"
}

// CleanStalePartials looks beside dir for the temporary directories
// (".NAME.partial-*") a snapshot to dir builds. One whose builder is gone
// (a process of this host that no longer runs: the run was killed) is
// removed — it holds users' emails and can be hundreds of megabytes; one
// still being built, or whose builder cannot be told (another host, or a
// version that did not record it), is kept and returned so the caller can
// report it.
func CleanStalePartials(dir string) (removed, kept []string, err error) {
	dir = filepath.Clean(dir)
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+globEscape(filepath.Base(dir))+".partial-*"))
	if err != nil {
		return nil, nil, err
	}
	host, _ := os.Hostname()
	for _, m := range matches {
		fi, err := os.Lstat(m)
		if err != nil || !fi.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(m, ownerFile))
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return removed, kept, err
			}
			kept = append(kept, m)
			continue
		}
		f := strings.Fields(string(b))
		pid, perr := 0, error(nil)
		if len(f) == 2 {
			pid, perr = strconv.Atoi(f[0])
		}
		if len(f) != 2 || perr != nil || f[1] != host || alive(pid) {
			kept = append(kept, m)
			continue
		}
		if err := os.RemoveAll(m); err != nil {
			return removed, kept, fmt.Errorf("remove stale partial snapshot %s: %w", m, err)
		}
		removed = append(removed, m)
	}
	return removed, kept, nil
}

func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}
