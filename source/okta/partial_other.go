//go:build !unix

package okta

// alive cannot tell here: every partial snapshot is kept and reported.
func alive(int) bool { return true }
