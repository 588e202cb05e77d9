package scan

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/keyline"
)

// locateLines sets each result's Line: the line, in the file its rule is
// located at (audit.Rule.Location), of the key the rule read — the
// druva.yaml key, or the field of a snapshot's okta/app.json — so SARIF's
// region and every report's file:line point at it. Files are read again
// for this (small ones only: keyline.MaxSize); a result whose file is not
// a file here (live, Terraform) keeps 0, and reports then say line 1.
func (req Request) locateLines(results []audit.Result, files map[audit.Input]string) {
	locs := map[string]audit.Location{}
	for _, r := range req.Rules {
		locs[r.ID] = r.Location
	}
	cache := map[audit.Location]int{}
	data := map[audit.Input][]byte{}
	for i := range results {
		loc := locs[results[i].Rule]
		path, ok := files[loc.Input]
		if ok && results[i].ItemID != "" {
			results[i].Line = itemLine(path, results[i].ItemID)
			continue
		}
		if !ok || loc.Key == "" {
			continue
		}
		if line, ok := cache[loc]; ok {
			results[i].Line = line
			continue
		}
		b, seen := data[loc.Input]
		if !seen {
			b = readSmall(path)
			data[loc.Input] = b
		}
		line := 0
		if b != nil {
			if loc.Input == audit.InputConsole {
				line = keyline.YAML(b, loc.Key)
			} else {
				line = keyline.JSON(b, loc.Key)
			}
		}
		cache[loc] = line
		results[i].Line = line
	}
}

// readSmall reads a file of at most keyline.MaxSize bytes, else nil.
func readSmall(path string) []byte {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > keyline.MaxSize {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return b
}

// targetFiles are the files a target's inputs were read from: a
// snapshot's Okta files and the console's druva.yaml.
func targetFiles(t *audit.Target) map[audit.Input]string {
	out := map[audit.Input]string{}
	if t.Source == audit.SourceSnapshot && t.Origin != "" {
		dir := t.Origin
		if filepath.Base(dir) == filepath.Base(string(audit.InputApp)) {
			dir = filepath.Dir(filepath.Dir(dir))
		}
		for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata, audit.InputPolicyRules, audit.InputUsers} {
			out[in] = filepath.Join(dir, filepath.FromSlash(string(in)))
		}
	}
	if t.Console != nil && t.Console.File != "" {
		out[audit.InputConsole] = t.Console.File
	}
	return out
}

// itemLine is the line of the element whose ID is id in a JSON array file
// (okta/users.json): the line where the quoted ID first appears — the
// element's "id", which Okta sends first, or another field of the same
// element that repeats it. The file is read line by line, never whole (it
// may hold 100,000 users); 0 when the ID is not found.
func itemLine(path, id string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	want := []byte(strconv.Quote(id))
	r := bufio.NewReaderSize(f, 64<<10)
	line := 1
	// carry keeps the end of a line longer than the buffer, so an ID cut
	// between two reads is still found.
	var carry []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf := append(carry, chunk...)
		if bytes.Contains(buf, want) {
			return line
		}
		switch {
		case err == bufio.ErrBufferFull:
			carry = append(carry[:0], buf[max(0, len(buf)-len(want)):]...)
			continue
		case err != nil:
			return 0
		}
		carry = carry[:0]
		line++
	}
}
