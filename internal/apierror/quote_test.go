package apierror

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", `""`},
		{"archived", `"archived"`},
		{"a\x00b", `"a\x00b"`},
		{"line\nbreak", `"line\nbreak"`},
		{"\u202eevil", `"\u202eevil"`},
		{"jos\xe9", `"jos\xe9"`},
		{"grün", `"grün"`},
		{strings.Repeat("a", MaxQuoted), strconv.Quote(strings.Repeat("a", MaxQuoted))},
		{strings.Repeat("a", 100000), strconv.Quote(strings.Repeat("a", MaxQuoted)) + "... (100000 bytes)"},
		{strings.Repeat("é", 40), strconv.Quote(strings.Repeat("é", MaxQuoted)) + "... (80 bytes)"},
	}
	for _, tc := range cases {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%.40q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// FuzzQuote checks that Quote is one printable line of bounded length that
// reads back as a prefix of the value.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "x", "a\x00b", "\xff\xfe", "\u2028", strings.Repeat("\U0001F600", 40), strings.Repeat("\x01", 99)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		q := Quote(v)
		if len(q) > 12*MaxQuoted+32 {
			t.Fatalf("Quote of %d bytes is %d bytes long", len(v), len(q))
		}
		if !utf8.ValidString(q) {
			t.Fatalf("Quote(%q) = %q is not UTF-8", v, q)
		}
		for _, r := range q {
			if !unicode.IsPrint(r) {
				t.Fatalf("Quote(%q) = %q holds %U", v, q, r)
			}
		}
		lit := q
		if i := strings.LastIndex(q, `"... (`); i >= 0 && strings.HasSuffix(q, " bytes)") {
			lit = q[:i+1]
		}
		got, err := strconv.Unquote(lit)
		if err != nil {
			t.Fatalf("Quote(%q) = %s does not read back: %v", v, q, err)
		}
		if !strings.HasPrefix(v, got) || (got != v && (utf8.RuneCountInString(v) <= MaxQuoted || lit == q)) {
			t.Fatalf("Quote(%q) = %s reads back as %q", v, q, got)
		}
	})
}
