//go:build !unix

package main

import "io"

// terminalWidth is unknown here: $COLUMNS or the default decide.
func terminalWidth(w io.Writer) (int, bool) { return noTermWidth(w) }

// controllingTerminalWidth is unknown here too.
func controllingTerminalWidth() (int, bool) { return 0, false }

// terminalRows is unknown here: $LINES or report.DefaultRows decide.
func terminalRows(w io.Writer) (int, bool) { return 0, false }
