package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// TestOutputToFIFOAndStdout: --output naming something that is not a
// regular file is written to, not replaced by a renamed file — a FIFO gets
// the report and stays a FIFO; /dev/stdout (the process's own stdout, a
// pipe here) gets the report; /dev/null stays a device.
func TestOutputToFIFOAndStdout(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	fifo := filepath.Join(dir, "report.fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the writer opens it
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(bufio.NewReader(f))
		f.Close()
		got <- string(b)
	}()
	cl := newCLI(t)
	// (cl.run would read the output back: a FIFO has no second reader.)
	if code := cl.newEnv().run(context.Background(), []string{"scan", "--snapshot", snap("good"), "--format", "json", "--output", fifo}); code != 0 {
		t.Fatalf("FIFO: exit %d\n%s", code, cl.stderr.String())
	}
	select {
	case b := <-got:
		var rep struct{ Schema string }
		if err := json.Unmarshal([]byte(b), &rep); err != nil || rep.Schema != audit.Schema {
			t.Errorf("the FIFO's reader got %.200q (%v)", b, err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the FIFO's reader got nothing")
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}

	// /dev/stdout of a real process whose stdout is a pipe.
	stdout, stderr, code := runMain(t, dir, nil, "scan", "--snapshot", snap("good"), "--format", "json", "--output", "/dev/stdout")
	var rep struct{ Schema string }
	if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || rep.Schema != audit.Schema {
		t.Errorf("/dev/stdout: exit %d, stdout %.200q\n%s", code, stdout, stderr)
	}
	if code := cl.newEnv().run(context.Background(), []string{"scan", "--snapshot", snap("good"), "--output", "/dev/null", "--format", "json"}); code != 0 {
		t.Errorf("/dev/null: exit %d\n%s", code, cl.stderr.String())
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("/dev/null is no longer a device: %v %v", st.Mode(), err)
	}
}

// TestOutputThroughSymlink: a symlink named by --output is followed (an
// existing target and a dangling one alike): the target gets the report and
// the link stays a link.
func TestOutputThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	os.Mkdir("reports", 0o755)
	os.WriteFile("reports/old.json", []byte("old"), 0o600)
	os.Symlink("reports/old.json", "latest.json")
	os.Symlink("reports/new.json", "dangling.json")
	cl := newCLI(t)
	for _, link := range []string{"latest.json", "dangling.json"} {
		if code := cl.run("scan", "--snapshot", snap("good"), "--output", link); code != 0 {
			t.Fatalf("%s: exit %d\n%s", link, code, cl.stderr.String())
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink", link)
		}
	}
	for f, mode := range map[string]fs.FileMode{"reports/old.json": 0o600, "reports/new.json": 0o644 &^ umask(t)} {
		b, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(b), audit.Schema) {
			t.Errorf("%s did not get the report: %v", f, err)
		}
		if st, _ := os.Stat(f); st.Mode().Perm() != mode {
			t.Errorf("%s: mode %03o, want %03o", f, st.Mode().Perm(), mode)
		}
	}
}

func umask(t *testing.T) fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}

// TestOutputOntoInputsThroughLinks: the OAuth private key, and optional
// snapshot inputs that do not exist yet reached through a symlinked
// directory, are inputs: --output naming them is exit 2 and nothing is
// written.
func TestOutputOntoInputsThroughLinks(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	s := filepath.Join(dir, "snap")
	if err := os.CopyFS(s, os.DirFS(snap("good"))); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(s, "okta", "users.json"))
	os.Remove(filepath.Join(s, "okta", "policy-rules.json"))
	os.Symlink(filepath.Join(s, "okta"), "o") // a symlinked directory onto the snapshot's okta/
	os.WriteFile("key.pem", []byte("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"), 0o600)
	os.Symlink("key.pem", "key-link.pem")
	cl := newCLI(t)
	for _, args := range [][]string{
		{"scan", "--snapshot", s, "--output", "o/users.json"},
		{"scan", "--snapshot", s, "--output", "o/policy-rules.json"},
		{"scan", "--snapshot", s, "--output", "o/session-policies.json"},
		{"scan", "--snapshot", s, "--output", "o/domains.json"},
		{"scan", "--snapshot", s, "--output", "o/new/x.json"},
		{"scan", "--okta-org", "https://acme.okta.com", "--app-id", goodAppID, "--okta-client-id", "0oaX", "--okta-private-key", "key.pem", "--format", "json", "--output", "key.pem"},
		{"scan", "--okta-org", "https://acme.okta.com", "--app-id", goodAppID, "--okta-client-id", "0oaX", "--okta-private-key", "key-link.pem", "--format", "json", "--output", "key.pem"},
	} {
		before := tree(t, s)
		code := cl.newEnv().run(context.Background(), args)
		if code != 2 || !strings.Contains(cl.stderr.String(), "an input of this scan") {
			t.Errorf("%v: exit %d, want 2\n%s", args[len(args)-1], code, cl.stderr.String())
		}
		key, _ := os.ReadFile("key.pem")
		if after := tree(t, s); !maps(before, after) || !strings.Contains(string(key), "not a key") {
			t.Errorf("%v: something was written", args[len(args)-1])
		}
	}
}

// TestTempFileCreatedWithFinalMode: replacing a 0600 report, the temporary
// file is 0600 from the moment it exists — another local user's watcher
// opening it as soon as it appears finds nothing to read.
func TestTempFileCreatedWithFinalMode(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	os.WriteFile("r.json", []byte("old"), 0o600)
	cl := newCLI(t)
	e := cl.newEnv()
	var seen []fs.FileMode
	e.tempCreated = func(tmp string) {
		st, err := os.Stat(tmp)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, st.Mode().Perm())
	}
	if code := e.run(context.Background(), []string{"scan", "--snapshot", snap("good"), "--output", "r.json"}); code != 0 {
		t.Fatalf("exit %d\n%s", code, cl.stderr.String())
	}
	if len(seen) != 1 || seen[0] != 0o600 {
		t.Errorf("temporary file modes at creation: %v, want [0600]", seen)
	}
}

// TestOutputToStdoutRedirectedToFile: --output /dev/stdout when stdout is
// a file (ssoaudit … --output /dev/stdout > r.json) writes into that file
// — the shell's open file, not a new one renamed over the path.
func TestOutputToStdoutRedirectedToFile(t *testing.T) {
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "scan", "--snapshot", snap("good"), "--format", "json", "--output", "/dev/stdout")
	cmd.Dir = dir
	cmd.Env = []string{mainEnv + "=1", "HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH")}
	cmd.Stdout = out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v", err)
	}
	out.Close()
	b, _ := os.ReadFile(filepath.Join(dir, "r.json"))
	var rep struct{ Schema string }
	if err := json.Unmarshal(b, &rep); err != nil || rep.Schema != audit.Schema {
		t.Errorf("the redirected file holds %.200q (%v)", b, err)
	}
}

// TestWriteDirectNamesThePathOnce: a FIFO or /dev/stdout whose reader went
// away (… | head) is "write PATH: broken pipe", not "write PATH: write
// PATH: broken pipe".
func TestWriteDirectNamesThePathOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeDirect(path, func(w io.Writer) error {
		return &fs.PathError{Op: "write", Path: path, Err: syscall.EPIPE}
	})
	if err == nil || strings.Count(err.Error(), path) != 1 || !errors.Is(err, syscall.EPIPE) {
		t.Errorf("%v", err)
	}
}
