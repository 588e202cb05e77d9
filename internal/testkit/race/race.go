//go:build race

// Package race tells tests whether the race detector is on. It multiplies
// memory and slows code several times over, so a test of a bound (bytes
// allocated, peak RSS, seconds) scales its limit by Factor under -race; CI
// also runs those tests without the detector, where the real limit holds.
package race

// Enabled is true in a -race build.
const Enabled = true

// Factor scales a time or memory limit in a -race build.
const Factor = 4
