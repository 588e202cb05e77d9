//go:build race

package druva

// raceSlowdown scales the hostile-input time limits: the race detector
// slows yaml.v3's decoding of a 40,000-key file five to ten times (4 s
// alone under -race on a 2-core machine, against 0.4 s without), which
// says nothing about the parser's bounds.
const raceSlowdown = 4
