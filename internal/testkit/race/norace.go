//go:build !race

package race

// Enabled is true in a -race build.
const Enabled = false

// Factor scales a time or memory limit in a -race build.
const Factor = 1
