package scan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// itemLine finds an element's line by its quoted ID, whatever the length of
// the lines before it (read a buffer at a time, an ID cut between two reads
// included), and says 0 when the ID is not there.
func TestItemLine(t *testing.T) {
	const id = "00uStale000000000001"
	long := strings.Repeat("x", 64<<10-5) // the ID straddles the first read
	cases := []struct {
		name, doc, id string
		want          int
	}{
		{"third line", "[\n  {\"id\": \"00uOther\"},\n  {\"id\": \"" + id + "\"}\n]\n", id, 3},
		{"after a line longer than the buffer", "[\n\"" + long + "\",\n{\"id\": \"" + id + "\"}]", id, 3},
		{"cut between two reads", long + `"` + id + `"`, id, 1},
		{"a prefix of another ID is not it", `[{"id": "` + id + `9"}]`, id, 0},
		{"absent", "[]\n", id, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users.json")
			if err := os.WriteFile(path, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := itemLine(path, c.id); got != c.want {
				t.Errorf("line %d, want %d", got, c.want)
			}
		})
	}
}
