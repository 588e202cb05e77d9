package keyline

import "testing"

func TestJSON(t *testing.T) {
	doc := []byte(`{
  "id": "0oa1",
  "label": "x",
  "_links": {"self": {"href": "h"}},
  "settings": {
    "app": {"ssoAcsUrl": "wrong place"},
    "signOn": {
      "attributeStatements": [{"name": "a", "values": ["b"]}],
      "ssoAcsUrl": "https://cloud.druva.com/wrsaml/consume",
      "responseSigned": true
    }
  }
}`)
	for path, want := range map[string]int{
		"settings.signOn.ssoAcsUrl":           9,
		"settings.signOn.responseSigned":      10,
		"settings.signOn.attributeStatements": 8,
		"settings.signOn.assertionSigned":     7, // absent: its parent
		"label":                               3,
		"nothing.here":                        1,
	} {
		if got := JSON(doc, path); got != want {
			t.Errorf("%s: line %d, want %d", path, got, want)
		}
	}
	if got := JSON([]byte(`{"a": [1, {"b": 2}`), "a.b"); got != 1 {
		t.Errorf("truncated: %d", got)
	}
}

func TestYAML(t *testing.T) {
	doc := []byte("platform: insync-cloud\nsso:\n  idp_login_url: u\nadmins:\n  sso_enabled: true\n  failsafe: false\nprofiles:\n  - name: a\n")
	for path, want := range map[string]int{"admins.failsafe": 6, "admins.sso_enabled": 5, "sso.sso_token_sha256": 2, "profiles": 7, "x": 1} {
		if got := YAML(doc, path); got != want {
			t.Errorf("%s: line %d, want %d", path, got, want)
		}
	}
}
