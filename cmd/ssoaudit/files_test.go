package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ssoaudit/ssoaudit/report"
)

// TestReportFileModes reproduces issue 8's file findings: reports were
// chmod'ed 0644 whatever the umask, even over a 0600 report. Now the umask
// decides, never wider than 0644, and an existing file's mode is never
// widened — in every format.
func TestReportFileModes(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	cases := 0
	for _, f := range report.Formats {
		for _, tc := range []struct {
			umask    int
			existing fs.FileMode // 0: no file yet
			want     fs.FileMode
		}{
			{0o022, 0, 0o644},
			{0o077, 0, 0o600},
			{0o027, 0, 0o640},
			{0o000, 0, 0o644}, // never wider than 0644
			{0o022, 0o600, 0o600},
			{0o022, 0o640, 0o640},
			{0o077, 0o644, 0o600},
		} {
			syscall.Umask(tc.umask)
			out := filepath.Join(dir, "r"+strconv.Itoa(cases)+"."+f)
			if tc.existing != 0 {
				os.WriteFile(out, []byte("old"), 0o600)
				os.Chmod(out, tc.existing)
			}
			if code := cl.run("scan", "--snapshot", snap("good"), "--format", f, "--output", out); code != 0 {
				t.Fatalf("%s: exit %d\n%s", f, code, cl.stderr.String())
			}
			st, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != tc.want {
				t.Errorf("%s, umask %03o, existing %03o: mode %03o, want %03o", f, tc.umask, tc.existing, st.Mode().Perm(), tc.want)
			}
			cases++
		}
	}
	t.Logf("%d mode cases", cases)
}

// TestOutputNeverOverwritesAnInput: --output naming a snapshot's own file,
// druva.yaml, the config or a Terraform plan — directly, through another
// spelling of the path or a symlink — is a usage error, and the input is
// untouched.
func TestOutputNeverOverwritesAnInput(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	s := filepath.Join(dir, "snap")
	if err := os.CopyFS(s, os.DirFS(snap("good"))); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(s, "okta", "app.json"), filepath.Join(dir, "link.json"))
	druva := filepath.Join(dir, "console.yaml")
	b, _ := os.ReadFile(filepath.Join(s, "druva.yaml"))
	os.WriteFile(druva, b, 0o644)
	os.WriteFile(".ssoaudit.yaml", []byte("fail_on: high\n"), 0o644)
	plan := filepath.Join(dir, "plan.json")
	pb, err := os.ReadFile(filepath.Join(snap("good"), "..", "..", "terraform", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(plan, pb, 0o644)
	cl := newCLI(t)
	for _, args := range [][]string{
		{"scan", "--snapshot", s, "--output", filepath.Join(s, "okta", "app.json")},
		{"scan", "--snapshot", s, "--output", "snap/okta/users.json"},
		{"scan", "--snapshot", s, "--output", "snap/./okta/../okta/keys.json"},
		{"scan", "--snapshot", s, "--output", filepath.Join(dir, "link.json")},
		{"scan", "--snapshot", s, "--format", "markdown", "--output", filepath.Join(s, "druva.yaml")},
		{"scan", "--snapshot", s, "--druva", druva, "--format", "table", "--output", druva},
		{"scan", "--snapshot", s, "--format", "table", "--output", ".ssoaudit.yaml"},
		{"scan", "--terraform", plan, "--output", plan},
		{"scan", "--snapshot", s, "--output", "r.json", "--output", filepath.Join(s, "okta", "metadata.xml")},
	} {
		before := tree(t, dir)
		if code := cl.run(args...); code != 2 || !strings.Contains(cl.stderr.String(), "an input of this scan") {
			t.Errorf("%v: exit %d\n%s", args[3:], code, cl.stderr.String())
		}
		if after := tree(t, dir); !maps(before, after) {
			t.Errorf("%v: an input changed", args[3:])
		}
	}
}

// TestStalePartialSnapshots: a snapshot killed before it finished leaves
// .NAME.partial-*; the next snapshot to NAME removes it when its process is
// gone, and reports one it cannot tell is abandoned. The snapshot itself is
// 0600 files in a 0700 directory.
func TestStalePartialSnapshots(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	o := startOrg(t)
	cl := o.cli(t)
	// A process that has ended: its PID is free.
	// The test binary itself, asked to run no test, is a process that
	// exits at once on any system.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	dead := filepath.Join(dir, ".snap.partial-111")
	os.MkdirAll(filepath.Join(dead, "okta"), 0o700)
	os.WriteFile(filepath.Join(dead, ".ssoaudit-owner"), []byte(strconv.Itoa(cmd.Process.Pid)+" "+host+"\n"), 0o600)
	os.WriteFile(filepath.Join(dead, "okta", "users.json"), bytes.Repeat([]byte("x"), 1<<20), 0o600)
	unknown := filepath.Join(dir, ".snap.partial-222")
	os.MkdirAll(unknown, 0o700)
	live := filepath.Join(dir, ".snap.partial-333")
	os.MkdirAll(live, 0o700)
	os.WriteFile(filepath.Join(live, ".ssoaudit-owner"), []byte(strconv.Itoa(os.Getpid())+" "+host+"\n"), 0o600)

	if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", filepath.Join(dir, "snap")); code != 0 {
		t.Fatalf("exit %d\n%s", code, cl.dump())
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the abandoned partial snapshot is still there: %v", err)
	}
	for _, p := range []string{unknown, live} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
		if !strings.Contains(cl.stderr.String(), p) {
			t.Errorf("%s not reported:\n%s", p, cl.stderr.String())
		}
	}
	if !strings.Contains(cl.stderr.String(), "removed "+dead) {
		t.Errorf("removal not reported:\n%s", cl.stderr.String())
	}
	err := filepath.WalkDir(filepath.Join(dir, "snap"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %03o, want %03o", p, st.Mode().Perm(), want)
		}
		if d.Name() == ".ssoaudit-owner" {
			t.Errorf("%s left in the snapshot", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
