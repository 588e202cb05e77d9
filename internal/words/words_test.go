package words

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Lines break at spaces, the text's own line breaks and blank lines stay,
// and a word longer than the width is broken so no line outgrows it.
func TestWrapKeepsParagraphs(t *testing.T) {
	got := Wrap("aaa bbb ccc\n\nddd https://very-long-url.example/path/that/is/long", 12)
	want := []string{"aaa bbb ccc", "", "ddd", "https://", "very-long-", "url.example/", "path/that/", "is/long"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
}

// A URL that fits the width stays whole on a line; a longer one starts a
// line of its own and breaks after a separator; no wrapped line starts with
// the punctuation that followed it.
func TestWrapKeepsURLsWhole(t *testing.T) {
	long := "<https://docs.druva.com/Endpoints/050_Configure_inSync_Settings/Configure_inSync_for_Single_Sign-On_(SSO)/104_SSO_FAQs>;"
	fits := "<https://help.druva.com/en/articles/8806061-how-to-configure>;"
	text := "Reference: Druva: Single Sign-On (SSO) FAQs, \"Which RelayState parameters are required\" " + long + " then " + fits + " and more words after it."
	for _, width := range []int{60, 70, 80, 94} {
		lines := Wrap(text, width)
		joined := strings.Join(lines, "\n")
		if len(fits) <= width && !strings.Contains(joined, "\n"+fits) && !strings.Contains(joined, " "+fits) {
			t.Errorf("width %d: %s is not whole:\n%s", width, fits, joined)
		}
		for _, line := range lines {
			if utf8.RuneCountInString(line) > width {
				t.Errorf("width %d: line of %d: %s", width, utf8.RuneCountInString(line), line)
			}
			if strings.HasPrefix(line, ";") {
				t.Errorf("width %d: a line starts with ';':\n%s", width, joined)
			}
			if strings.HasSuffix(line, "<https:/") || (strings.Contains(line, "<https:") && !strings.HasPrefix(line, "<https:")) && !strings.Contains(line, ">") {
				t.Errorf("width %d: a URL is begun at a line's end:\n%s", width, joined)
			}
		}
	}
	// The ';' after a URL exactly as wide as the line does not start the next.
	url := "<https://example.com/" + strings.Repeat("a", 38) + ">"
	for _, line := range Wrap("see "+url+"; then more", len(url)) {
		if strings.HasPrefix(line, ";") {
			t.Errorf("line starts with ';': %q", line)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"scan", "snapshot", "rules", "explain", "diff"}
	for in, want := range map[string]string{"scna": "scan", "SCAN": "scan", "rule": "rules", "xyz": "", "": ""} {
		if got := Closest(in, known); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := Distance(strings.Repeat("a", 65), "a"); d != 99 {
		t.Errorf("a long string is %d edits away, want 99", d)
	}
}
