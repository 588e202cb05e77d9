package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"testing"
)

// --format csv and an --output ending in .csv write the CSV report: one row
// per result of the JSON report from the same run, the same statuses.
func TestCSVFromTheCommandLine(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("broken"), "--output", "r.csv", "--output", "r.json"); code != 1 {
		t.Fatalf("exit %d: %s", code, cl.stderr.String())
	}
	data, err := os.ReadFile("r.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Targets []struct {
			Results []struct{ Rule, Status string }
		}
		Deployments []struct {
			Results []struct{ Rule, Status string }
		}
	}
	js, _ := os.ReadFile("r.json")
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tr := range rep.Targets {
		for _, r := range tr.Results {
			want = append(want, "target "+r.Rule+" "+r.Status)
		}
	}
	for _, d := range rep.Deployments {
		for _, r := range d.Results {
			want = append(want, "deployment "+r.Rule+" "+r.Status)
		}
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("%d rows, want %d results and a header", len(rows), len(want))
	}
	for i, w := range want {
		if got := rows[i+1][0] + " " + rows[i+1][4] + " " + rows[i+1][5]; got != w {
			t.Errorf("row %d: %s, want %s", i+1, got, w)
		}
	}
	cl = newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("good"), "--format", "csv"); code != 0 || !bytes.HasPrefix(cl.stdout.Bytes(), []byte("scope,name,app_id,")) {
		t.Errorf("--format csv: exit %d, %q", code, cl.stdout.String())
	}
}
