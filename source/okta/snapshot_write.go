package okta

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Snapshot saves one app's Okta responses into dir in the snapshot layout
// (docs/inputs.md, Snapshot directory): app.json, keys.json and metadata.xml as Okta sent
// them, and users.json (unless NoUsers) as every page's elements, verbatim
// and in order, joined into one array and streamed to disk. Each response is
// also parsed, as a scan would, so a snapshot never holds what a scan could
// not read.
//
// dir appears whole or not at all: the files are written into a temporary
// directory beside it, which is renamed to dir at the end and removed on any
// failure or when ctx is cancelled. An existing dir is never overwritten.
// The snapshot holds users' email addresses, so it is readable by its owner
// only.
//
// Extra files (the Druva console's druva.yaml) are written into the snapshot
// before it appears. Missing parent directories of dir are created. An
// existing dir is an error that errors.Is(err, fs.ErrExist) recognises.
func (c *Client) Snapshot(ctx context.Context, appID, dir string, extra ...File) (err error) {
	if err := checkAppID(appID); err != nil {
		return err
	}
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("snapshot directory %s already exists: refusing to overwrite it: %w", dir, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot directory: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	// Who is building tmp, so that a later run can tell a snapshot still
	// being taken from one a killed run left behind (CleanStalePartials).
	owner := filepath.Join(tmp, ownerFile)
	if err := os.WriteFile(owner, []byte(ownerStamp()), 0o600); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := os.Mkdir(filepath.Join(tmp, "okta"), 0o700); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	docs := []struct {
		file, path string
		accept     []string
		parse      func(io.Reader) error
	}{
		{FileApp, appPath(appID), typesJSON, func(r io.Reader) error { _, err := ParseApp(r); return err }},
		{FileKeys, keysPath(appID), typesJSON, func(r io.Reader) error { _, err := ParseKeys(r); return err }},
		{FileMetadata, metadataPath(appID), typesXML, func(r io.Reader) error { _, err := ParseMetadata(r); return err }},
	}
	var policyID string
	for _, d := range docs {
		raw, err := c.fetch(ctx, d.path, d.accept)
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", d.file, err)
		}
		if err := d.parse(bytes.NewReader(raw)); err != nil {
			return fmt.Errorf("snapshot %s: GET %s: %w", d.file, d.path, err)
		}
		if d.file == FileApp {
			app, _ := ParseApp(bytes.NewReader(raw))
			policyID = app.AccessPolicyID()
		}
		if err := writeRaw(tmp, d.file, raw); err != nil {
			return err
		}
	}
	if policyID != "" {
		if err := c.snapshotPolicyRules(ctx, tmp, policyID); err != nil {
			return err
		}
	}
	if err := c.snapshotSessionPolicies(ctx, tmp); err != nil {
		return err
	}
	if err := c.snapshotDomains(ctx, tmp); err != nil {
		return err
	}
	if !c.noUsers {
		if err := writeFile(filepath.Join(tmp, filepath.FromSlash(FileUsers)), func(w io.Writer) error {
			return c.writeUsers(ctx, appID, w)
		}); err != nil {
			return fmt.Errorf("snapshot %s: %w", FileUsers, err)
		}
	}
	for _, f := range extra {
		if err := writeFile(filepath.Join(tmp, f.Name), func(w io.Writer) error {
			_, err := w.Write(f.Data)
			return err
		}); err != nil {
			return fmt.Errorf("snapshot %s: %w", f.Name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := os.Remove(owner); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := syncDir(tmp); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("snapshot directory %s appeared while the snapshot was taken: refusing to overwrite it: %w", dir, fs.ErrExist)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return syncDir(filepath.Dir(dir))
}

// writeRaw writes one response verbatim into the snapshot being built.
func writeRaw(tmp, name string, raw []byte) error {
	if err := writeFile(filepath.Join(tmp, filepath.FromSlash(name)), func(w io.Writer) error {
		_, err := w.Write(raw)
		return err
	}); err != nil {
		return fmt.Errorf("snapshot %s: %w", name, err)
	}
	return nil
}

// File is an extra file to put into a snapshot, by its name in the layout.
type File struct {
	Name string
	Data []byte
}

// writeFile creates path, lets write fill it through a buffer, and syncs it.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// writeUsers streams every page of the app's users into w as one JSON
// array: each element's bytes as Okta sent them, in order.
func (c *Client) writeUsers(ctx context.Context, appID string, w io.Writer) error {
	p := c.newProgress()
	defer p.done()
	name := "/api/v1/apps/" + appID + "/users"
	n := 0
	for pg, err := range c.pages(ctx, name, usersPath(appID)) {
		if err != nil {
			return err
		}
		count, err := copyElements(pg.body, w, n == 0)
		if err != nil {
			return fmt.Errorf("GET %s (page %d): %w", name, pg.n, err)
		}
		n += count
		p.add(count)
		p.show()
	}
	if n == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}

// copyElements writes the elements of one page (a JSON array of app users)
// to w, each preceded by "[\n" (the very first) or ",\n". Each element is
// checked to decode as an app user, as Users would (duplicate names
// refused only where decodeAppUser reads them).
func copyElements(page []byte, w io.Writer, first bool) (int, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(page), jsontext.AllowDuplicateNames(true))
	tok, err := dec.ReadToken()
	if err != nil {
		return 0, jsonError(err)
	}
	if tok.Kind() != '[' {
		return 0, fmt.Errorf("want a JSON array of app users, got %s", tok.Kind())
	}
	n := 0
	for dec.PeekKind() != ']' {
		raw, err := dec.ReadValue()
		if err != nil {
			return n, jsonError(err)
		}
		if raw.Kind() != '{' {
			return n, fmt.Errorf("element %d is not an app-user object", n)
		}
		var u audit.User
		if err := decodeAppUser(jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true)), &u); err != nil {
			if !errors.Is(err, errDuplicateName) {
				err = jsonError(err)
			}
			return n, fmt.Errorf("user %d: %w", n, err)
		}
		sep := ",\n"
		if first && n == 0 {
			sep = "[\n"
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return n, err
		}
		if _, err := w.Write(raw); err != nil {
			return n, err
		}
		n++
	}
	if _, err := dec.ReadToken(); err != nil {
		return n, jsonError(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return n, errors.New("unexpected data after the array of users")
	}
	return n, nil
}
