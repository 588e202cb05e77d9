package scan

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// nameTargets names the targets one spec yielded, as docs/cli.md (Target names)
// fixes: a config entry's name: names its target, whatever the source says
// about it (an Okta app's label is data anyone with app admin rights can
// change, so it must never decide which suppressions apply); an entry or a
// command line that yields several apps names each by its label, or by its
// app ID / resource address where labels collide, under the entry's name
// when there is one.
//
// A source names a target it read by what identifies it there (the app's
// label live, the resource address for Terraform, the directory for a
// snapshot); that name is kept only for a single target without a config
// name, and is the fallback for colliding labels.
func nameTargets(spec Spec, ts []*audit.Target) {
	if len(ts) == 1 {
		if spec.Name != "" {
			ts[0].Name = spec.Name
		}
		return
	}
	names := make([]string, len(ts))
	useFallback := make([]bool, len(ts))
	// A label shared by two apps, or equal to another app's fallback, is
	// replaced by the fallback; fallbacks (app IDs in one org, resource
	// addresses in one plan) are unique, so two rounds settle it.
	for round := 0; round < 3; round++ {
		count := map[string]int{}
		for i, t := range ts {
			names[i] = label(t)
			if names[i] == "" || useFallback[i] {
				names[i] = fallback(t)
			}
			count[names[i]]++
		}
		changed := false
		for i := range ts {
			if count[names[i]] > 1 && !useFallback[i] {
				useFallback[i], changed = true, true
			}
		}
		if !changed {
			break
		}
	}
	seen := map[string]bool{}
	for i, t := range ts {
		n := names[i]
		for k := 2; seen[n]; k++ {
			n = fmt.Sprintf("%s (%d)", names[i], k) // only if the source repeats an ID
		}
		seen[n] = true
		if spec.Name != "" {
			n = spec.Name + "/" + n
		}
		t.Name = n
	}
}

func label(t *audit.Target) string {
	if t.App == nil {
		return ""
	}
	return t.App.Label
}

// fallback is what tells apart two apps with one label: the resource
// address for Terraform (the source's own name), else the app ID.
func fallback(t *audit.Target) string {
	if t.Source != audit.SourceTerraform && t.App != nil && t.App.ID != "" {
		return t.App.ID
	}
	return t.Name
}

// NameMatches reports whether a suppression's target: names the target
// called name: the name itself, or an entry's name matching each of its
// apps (prod matches prod and prod/<app label>).
func NameMatches(scope, name string) bool {
	return scope == name || strings.HasPrefix(name, scope+"/")
}
