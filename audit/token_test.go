package audit

import "testing"

func TestIsTokenAttribute(t *testing.T) {
	for _, c := range []struct {
		name, expected string
		want           bool
	}{
		{"insync_auth_token", "", true},
		{"druva_auth_token", "", true},
		{" inSync_auth_token\t", "", true},
		{"insync_ auth_token", "", true},
		{"insync_auth\u200b_token", "", true},
		{"insync_auth_to\u212aen", "", true},
		{"custom_token", "custom_token", true},
		{"Custom Token", "custom_token", false},
		{"auth_token", "", false},
		{"email", "", false},
	} {
		if got := IsTokenAttribute(c.name, c.expected); got != c.want {
			t.Errorf("IsTokenAttribute(%q, %q) = %v, want %v", c.name, c.expected, got, c.want)
		}
	}
}
