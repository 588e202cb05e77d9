package okta

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Snapshot file names inside a snapshot directory (docs/inputs.md, Snapshot directory).
const (
	FileApp      = string(audit.InputApp)
	FileKeys     = string(audit.InputKeys)
	FileMetadata = string(audit.InputMetadata)
	FileUsers    = string(audit.InputUsers)
	// FilePolicyRules is the rules of the app's authentication policy
	// (Identity Engine orgs; optional).
	FilePolicyRules = string(audit.InputPolicyRules)
	// FileSessionPolicies is the org's global session policies, each with
	// its rules under _embedded.rules (optional).
	FileSessionPolicies = string(audit.InputSessionPolicies)
)

// LoadSnapshot reads the Okta files of a snapshot directory into a target.
// It returns an error only when dir itself cannot be used; a missing or
// malformed Okta file becomes a gap on the target, so the rules that need it
// end in error (required files) or skip (users.json) and the others still run.
// The Druva half, platform, expectations and clock are the caller's to set.
func LoadSnapshot(dir string) (*audit.Target, error) {
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("snapshot directory %s does not exist", dir)
		}
		return nil, fmt.Errorf("snapshot directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("snapshot %s is not a directory (want a directory with okta/app.json, okta/keys.json, okta/metadata.xml)", dir)
	}
	if err := looksLikeSnapshot(dir); err != nil {
		return nil, err
	}
	t := &audit.Target{Name: filepath.Base(filepath.Clean(dir)), Source: audit.SourceSnapshot, Origin: filepath.ToSlash(filepath.Join(dir, FileApp))}

	if app, err := parseFile(t, dir, FileApp, ParseApp); err != nil {
		t.Failed(audit.InputApp, err)
	} else {
		t.App = app
		loadPolicyRules(t, dir)
	}
	loadSessionPolicies(t, dir)
	audit.Domains.Load(t.Org, func() ([]string, error) {
		name := string(audit.InputDomains)
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); errors.Is(err, fs.ErrNotExist) {
			return nil, audit.Absent(name + " is not in the snapshot (it is optional; save GET /api/v1/domains to check a login URL on a custom domain)")
		}
		return parseFile(t, dir, name, audit.ParseDomains)
	})
	if keys, err := parseFile(t, dir, FileKeys, ParseKeys); err != nil {
		t.Failed(audit.InputKeys, err)
	} else {
		t.Keys = keys
	}
	if md, err := parseFile(t, dir, FileMetadata, ParseMetadata); err != nil {
		t.Failed(audit.InputMetadata, err)
	} else {
		t.Metadata = md
	}

	users := filepath.Join(dir, filepath.FromSlash(FileUsers))
	switch st, err := os.Stat(users); {
	case errors.Is(err, fs.ErrNotExist):
		t.Missing(audit.InputUsers, fmt.Sprintf("%s is not in the snapshot (it is optional; save every page of GET /api/v1/apps/{appId}/users?expand=user to check usernames)", FileUsers))
	case err != nil:
		t.Failed(audit.InputUsers, err)
	case st.IsDir():
		t.Failed(audit.InputUsers, errors.New("is a directory, not a file"))
	default:
		t.Users = fileUsers(t, users)
	}
	return t, nil
}

// loadPolicyRules reads policy-rules.json when the app has an
// authentication policy. On a Classic Engine org (no accessPolicy link) the
// file is not looked at: the MFA rule skips as not applicable.
func loadPolicyRules(t *audit.Target, dir string) {
	id := t.App.AccessPolicyID()
	if id == "" {
		return
	}
	path := filepath.Join(dir, filepath.FromSlash(FilePolicyRules))
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		t.Missing(audit.InputPolicyRules, fmt.Sprintf("%s is not in the snapshot (it is optional; save GET %s, the app's authentication policy, to check MFA)",
			FilePolicyRules, policyRulesPath(id)))
		return
	}
	if rules, err := parseFile(t, dir, FilePolicyRules, ParsePolicyRules); err != nil {
		t.Failed(audit.InputPolicyRules, err)
	} else {
		t.PolicyRules = rules
	}
}

// loadSessionPolicies reads session-policies.json, which okta.app.mfa
// reads on Identity Engine and Classic Engine orgs alike. A snapshot is its
// own org.
func loadSessionPolicies(t *audit.Target, dir string) {
	t.Org = audit.NewOrg(dir)
	audit.SessionPolicies.Load(t.Org, func() ([]audit.SessionPolicy, error) {
		path := filepath.Join(dir, filepath.FromSlash(FileSessionPolicies))
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, audit.Absent(FileSessionPolicies + " is not in the snapshot (it is optional)")
		}
		return parseFile(t, dir, FileSessionPolicies, ParseSessionPolicies)
	})
}

// OktaFolderError is a snapshot path that names the okta/ folder of a
// snapshot rather than the snapshot directory, Parent, above it. Callers
// say where to write Parent instead: the flag, or the config's line.
type OktaFolderError struct{ Dir, Parent string }

func (e *OktaFolderError) Error() string {
	return fmt.Sprintf("%s is the okta/ folder of a snapshot: give the snapshot directory above it, %s", e.Dir, e.Parent)
}

// IsOktaFolder reports whether dir is the okta/ folder of a snapshot (it
// holds app.json, and no okta/ folder of its own).
func IsOktaFolder(dir string) bool {
	if st, err := os.Stat(filepath.Join(dir, "okta")); err == nil && st.IsDir() {
		return false
	}
	st, err := os.Stat(filepath.Join(dir, "app.json"))
	return err == nil && !st.IsDir()
}

// looksLikeSnapshot refuses a directory that is plainly not a snapshot (no
// okta/ folder), so that a wrong path is a usage error rather than fourteen
// "missing file" errors, and names the likely right one.
func looksLikeSnapshot(dir string) error {
	if st, err := os.Stat(filepath.Join(dir, "okta")); err == nil && st.IsDir() {
		return nil
	}
	if IsOktaFolder(dir) {
		return &OktaFolderError{Dir: dir, Parent: filepath.Dir(filepath.Clean(dir))}
	}
	return fmt.Errorf("%s is not a snapshot directory: it has no okta/ folder (want okta/app.json, okta/keys.json, okta/metadata.xml)", dir)
}

// parseFile opens one snapshot file and parses it, recording the SHA-256 of
// its bytes on the target when it parses. Its errors do not repeat the
// file's name: the gap they become is reported under it.
func parseFile[T any](t *audit.Target, dir, name string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return zero, errors.New("missing from the snapshot (it is required)")
		}
		return zero, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return zero, errors.New("is a directory, not a file")
	}
	h := sha256.New()
	v, err := parse(io.TeeReader(f, h))
	if err != nil {
		return v, err
	}
	// The parser may stop at the end of the value: hash the rest too, so
	// the sum is the file's (bounded: a file that big would not have parsed).
	if _, err := io.Copy(h, io.LimitReader(f, 64<<20)); err == nil {
		t.Hashed(name, hex.EncodeToString(h.Sum(nil)))
	}
	return v, nil
}

// fileUsers streams users.json when the rules iterate, so the file is read
// once, one user at a time; a stream read to its end records the file's
// SHA-256 on the target.
func fileUsers(t *audit.Target, path string) iter.Seq2[audit.User, error] {
	return func(yield func(audit.User, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(audit.User{}, fmt.Errorf("%s: %w", FileUsers, err))
			return
		}
		defer f.Close()
		h := sha256.New()
		for u, err := range Users(io.TeeReader(f, h)) {
			if err != nil {
				err = fmt.Errorf("%s: %w", FileUsers, err)
			}
			if !yield(u, err) || err != nil {
				return
			}
		}
		if _, err := io.Copy(h, f); err == nil {
			t.Hashed(FileUsers, hex.EncodeToString(h.Sum(nil)))
		}
	}
}
