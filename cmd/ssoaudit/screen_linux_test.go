//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of cols×rows: the controller, and the
// terminal a child writes to.
func openPTY(t *testing.T, cols, rows int) (ctl, term *os.File) {
	t.Helper()
	ctl, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	fd := int(ctl.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	term, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	if err := unix.IoctlSetWinsize(int(term.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(cols), Row: uint16(rows)}); err != nil {
		t.Fatalf("set window size: %v", err)
	}
	return ctl, term
}

var ansiSeq = regexp.MustCompile("\x1b\\[[0-9;]*m")

// onScreen runs ssoaudit (the real main, in a child) in a cols×rows
// pseudo-terminal, as a person at that terminal would, and returns what it
// printed, line by line, colour codes removed.
func onScreen(t *testing.T, cols, rows int, args ...string) ([]string, int) {
	t.Helper()
	ctl, term := openPTY(t, cols, rows)
	defer ctl.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = []string{mainEnv + "=1", "HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"), "TERM=xterm"}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	term.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		// The controller reads EIO once the child has closed the terminal.
		io.Copy(&out, ctl)
		close(done)
	}()
	err = cmd.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal did not close")
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	text := ansiSeq.ReplaceAllString(strings.ReplaceAll(out.String(), "\r\n", "\n"), "")
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n"), code
}

// TestScreenAt80x50 looks at the scan as a person at an 80×50 terminal
// sees it: the broken example's last screen holds every one of its 9 fails
// and the verdict; the good example's whole output fits 45 lines, its
// headline included, with its single-app note on a Notes line.
func TestScreenAt80x50(t *testing.T) {
	lines, code := onScreen(t, 80, 50, "scan", "--snapshot", snap("broken"))
	if code != 1 {
		t.Fatalf("broken: exit %d\n%s", code, strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("broken: a line of %d columns: %q", n, l)
		}
	}
	last := lines[max(0, len(lines)-50):]
	screen := strings.Join(last, "\n")
	fails := 0
	for _, l := range last {
		if strings.HasPrefix(l, "  ") && strings.Contains(l, " fail ") && strings.Contains(l, " broken ") {
			fails++
		}
	}
	if fails != 9 || !strings.Contains(screen, "gate: FAILED") {
		t.Errorf("broken: the last 50 lines hold %d fails (want 9) and the verdict? %v:\n%s", fails, strings.Contains(screen, "gate: FAILED"), screen)
	}

	lines, code = onScreen(t, 80, 50, "scan", "--snapshot", snap("good"))
	if code != 0 {
		t.Fatalf("good: exit %d", code)
	}
	all := strings.Join(lines, "\n")
	if len(lines) > 45 {
		t.Errorf("good: %d lines, want at most 45:\n%s", len(lines), all)
	}
	if !strings.HasPrefix(lines[1], "Nothing to fix: 26 passed") || strings.Contains(all, "Findings (") ||
		!strings.Contains(all, "\nNote: warn high druva.admin.sign-in-path good: ") {
		t.Errorf("good: headline, findings block or note:\n%s", all)
	}
}
