package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/ssoaudit/ssoaudit/report"
)

// width is how wide the table may be: the terminal's width when stdout is
// one; else $COLUMNS (set by people who want a given width); else, when
// stdout goes to a pipe or a file but stderr is a terminal (ssoaudit scan |
// less), that terminal's width, where the person reading is; else the
// controlling terminal's (ssoaudit scan 2>&1 | less); else
// report.DefaultWidth.
func (e *env) width() int {
	if w, ok := e.knownWidth(); ok {
		return w
	}
	return report.DefaultWidth
}

// knownWidth is width's answer when there is a terminal or $COLUMNS to take
// it from; false when width would only guess report.DefaultWidth.
func (e *env) knownWidth() (int, bool) {
	if e.termWidth != nil {
		if w, ok := e.termWidth(e.stdout); ok && w > 0 {
			return w, true
		}
	}
	if c, err := strconv.Atoi(strings.TrimSpace(e.getenv("COLUMNS"))); err == nil && c > 0 {
		return c, true
	}
	if e.termWidth != nil {
		if w, ok := e.termWidth(e.stderr); ok && w > 0 {
			return w, true
		}
	}
	if e.ttyWidth != nil {
		if w, ok := e.ttyWidth(); ok && w > 0 {
			return w, true
		}
	}
	return 0, false
}

// noTermWidth is the terminal-width probe where there is none.
func noTermWidth(io.Writer) (int, bool) { return 0, false }

// rows is how many lines the person reading stdout sees at once: the
// terminal's height when stdout is one, else $LINES, else 0 (the report's
// default: output to a pipe or a file is read later, a screen at a time).
func (e *env) rows() int {
	if e.termRows != nil {
		if r, ok := e.termRows(e.stdout); ok && r > 0 {
			return r
		}
	}
	if r, err := strconv.Atoi(strings.TrimSpace(e.getenv("LINES"))); err == nil && r > 0 {
		return r
	}
	return 0
}
