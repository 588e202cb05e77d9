//go:build unix

package okta

import (
	"errors"
	"syscall"
)

// alive reports whether a process of this host runs (or cannot be told not
// to: only "no such process" counts as gone).
func alive(pid int) bool {
	if pid <= 0 {
		return true
	}
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
