//go:build unix

package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// terminalWidth asks the terminal behind w for its width (TIOCGWINSZ).
// golang.org/x/sys is already a dependency; x/term would add a module for
// this one call.
func terminalWidth(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 0, false
	}
	return int(ws.Col), true
}

// terminalRows asks the terminal behind w for its height.
func terminalRows(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Row == 0 {
		return 0, false
	}
	return int(ws.Row), true
}

// controllingTerminalWidth is the width of /dev/tty, the terminal the
// person who started the command sits at, when there is one: no output
// stream needs to be a terminal for it to answer.
func controllingTerminalWidth() (int, bool) {
	f, err := os.Open("/dev/tty")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return terminalWidth(f)
}
