package escape

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct{ in, line, text string }{
		{"plain", "plain", "plain"},
		{"a\x1b[31mred", `a\x1b[31mred`, `a\x1b[31mred`},
		{"\x1b]8;;https://e.x\x07link\x1b]8;;\x07", `\x1b]8;;https://e.x\x07link\x1b]8;;\x07`, `\x1b]8;;https://e.x\x07link\x1b]8;;\x07`},
		{"a\r\nb\tc", `a\r\nb\tc`, "a\\r\nb\tc"},
		{"nul\x00del\x7f", `nul\x00del\x7f`, `nul\x00del\x7f`},
		{"c1\u009b2J", `c1\u009b2J`, `c1\u009b2J`},
		{"\u202eevil\u2066x\u2069\u200f", `\u202eevil\u2066x\u2069\u200f`, `\u202eevil\u2066x\u2069\u200f`},
		{"sep\u2028\ufeff", `sep\u2028\ufeff`, `sep\u2028\ufeff`},
		{"bad\xff\xfe", `bad\xff\xfe`, `bad\xff\xfe`},
		{"ünïcode “quotes” 日本", "ünïcode “quotes” 日本", "ünïcode “quotes” 日本"},
	} {
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
		if got := Text(tc.in); got != tc.text {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
		}
	}
}

// TestInvisible: every invisible or format character and every
// noncharacter is shown as an escape, the same in every medium.
func TestInvisible(t *testing.T) {
	for in, want := range map[string]string{
		"a\u200bb":        `a\u200bb`,
		"a\u2060b":        `a\u2060b`,
		"soft\u00adhy":    `soft\u00adhy`,
		"tag\U000E0041":   `tag\U000e0041`,
		"tag\U000E007F":   `tag\U000e007f`,
		"non\ufffe\uffff": `non\ufffe\uffff`,
		"non\U0001FFFE":   `non\U0001fffe`,
		"\ufdd0":          `\ufdd0`,
		"bidi\u202e":      `bidi\u202e`,
		"émoji ✅ ok":      "émoji ✅ ok",
	} {
		for name, f := range map[string]func(string) string{"Line": Line, "Text": Text, "XML": XML, "Markdown": Markdown, "MarkdownCode": MarkdownCode} {
			if got := f(in); got != want {
				t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
			}
		}
	}
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"[x](https://evil.example)", `\[x\](https:&#8203;//evil.example)`},
		{"![i](https://evil.example/i.png)", `!\[i\](https:&#8203;//evil.example/i.png)`},
		{"cc @acme/security and admin@acme.com", "cc @&#8203;acme/security and admin@&#8203;acme.com"},
		{"see www.evil.example or http://evil.example", "see www&#8203;.evil.example or http:&#8203;//evil.example"},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"<img src=x>&amp;", "&lt;img src=x&gt;&amp;amp;"},
		{"label\n# Heading", `label\n# Heading`},
	} {
		if got := Markdown(tc.in); got != tc.want {
			t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := MarkdownCode("a`b\nc"); got != `a'b\nc` {
		t.Errorf("MarkdownCode = %q", got)
	}
	if got := MarkdownText("1. a\n2. [b](c)"); got != "1. a\n2. \\[b\\](c)" {
		t.Errorf("MarkdownText = %q", got)
	}
}

func TestXML(t *testing.T) {
	if got := XML("a\x00b\ufffe\x1b\nc"); got != "a\\x00b\\ufffe\\x1b\nc" {
		t.Errorf("XML = %q", got)
	}
}

type inner struct {
	Note string
	n    int
}

type model struct {
	Name   string
	Steps  string
	Ptr    *inner
	List   []any
	Map    map[string]any
	hidden string
}

func TestStrings(t *testing.T) {
	in := &model{Name: "a\x1b", Steps: "1\n2", Ptr: &inner{Note: "\u202e", n: 3}, List: []any{"\x07", 5, []string{"\r"}},
		Map: map[string]any{"k\x00": "v\x00"}, hidden: "\x1b"}
	out := Strings(in, func(field, s string) string {
		if field == "Steps" {
			return Text(s)
		}
		return Line(s)
	})
	if out == in || out.Ptr == in.Ptr {
		t.Fatal("not a copy")
	}
	if out.Name != `a\x1b` || out.Steps != "1\n2" || out.Ptr.Note != `\u202e` || out.Ptr.n != 3 || out.hidden != "\x1b" {
		t.Errorf("%+v %+v", out, out.Ptr)
	}
	if out.List[0] != `\x07` || out.List[1] != 5 || out.List[2].([]string)[0] != `\r` || out.Map[`k\x00`] != `v\x00` {
		t.Errorf("%#v %#v", out.List, out.Map)
	}
	if in.Name != "a\x1b" || in.Ptr.Note != "\u202e" {
		t.Error("the original changed")
	}
}

// FuzzLine: whatever the input, Line's output is valid UTF-8 with no
// character a reader must not get raw, and Clean agrees with it.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "\u202e", "\xff", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		for _, r := range out {
			if hidden(r) {
				t.Fatalf("%U in %q", r, out)
			}
		}
		if Clean(s) != (out == s) {
			t.Fatalf("Clean(%q) = %v, Line = %q", s, Clean(s), out)
		}
		if txt := Text(s); strings.ContainsAny(strings.NewReplacer("\n", "", "\t", "").Replace(txt), "\x00\x1b\r") {
			t.Fatalf("Text(%q) = %q", s, txt)
		}
	})
}
