package validate

import (
	"net/mail"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidators checks that every accepted value meets the constraints the
// validators document, and that a refusal names the field.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{
		"", "a@b.co", "name@example.com", "Name <name@example.com>", "\"a b\"@example.com", "a@b", "a@@b.c",
		"497f6eca-6276-4993-bfeb-53cbbbba6f08", "497F6ECA-6276-4993-BFEB-53CBBBBA6F08", "497f6eca62764993bfeb53cbbbba6f08",
		"green-harbor", "green_harbor_2", "grün", "a b", "../x", "%2e%2e", "slug\n", "\x00", "é@é.é",
		"a@example.c", "a@-x.com", "a@x-.com", "a@x..com", "a@[192.0.2.1]", "a@münchen.de", "a@x_y.com", "   ",
	} {
		f.Add(s)
	}
	const hi = 254
	f.Fuzz(func(t *testing.T, s string) {
		if err := Email("email", s, hi); err == nil {
			n := utf8.RuneCountInString(s)
			if n < 1 || n > hi {
				t.Fatalf("Email accepted %q of %d characters", s, n)
			}
			a, err := mail.ParseAddress(s)
			if err != nil || a.Address != s || a.Name != "" {
				t.Fatalf("Email accepted %q, which net/mail reads as %v, %v", s, a, err)
			}
			at := strings.LastIndexByte(s, '@')
			if at <= 0 || !strings.Contains(s[at+1:], ".") {
				t.Fatalf("Email accepted %q without a dotted domain", s)
			}
			for _, r := range s[:at] {
				if r >= 0x7f || r < ' ' {
					t.Fatalf("Email accepted %q with %q before the @", s, r)
				}
			}
			labels := strings.Split(s[at+1:], ".")
			for _, l := range labels {
				if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") || strings.ContainsAny(l, " _[]") {
					t.Fatalf("Email accepted %q with the domain label %q", s, l)
				}
			}
			if utf8.RuneCountInString(labels[len(labels)-1]) < 2 {
				t.Fatalf("Email accepted %q with a one-character top-level domain", s)
			}
		} else if !strings.Contains(err.Error(), "invalid email:") {
			t.Fatalf("Email refusal does not name the field: %v", err)
		}

		if err := UUID("uuid", s); err == nil {
			if len(s) != 36 {
				t.Fatalf("UUID accepted %q of %d bytes", s, len(s))
			}
			for i := range len(s) {
				c := s[i]
				switch i {
				case 8, 13, 18, 23:
					if c != '-' {
						t.Fatalf("UUID accepted %q: byte %d is %q, want '-'", s, i, c)
					}
				default:
					if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
						t.Fatalf("UUID accepted %q: byte %d is %q, not hex", s, i, c)
					}
				}
			}
		} else if !strings.Contains(err.Error(), "invalid uuid:") {
			t.Fatalf("UUID refusal does not name the field: %v", err)
		}

		if err := Length("first_name", s, 0, 1<<20); err == nil {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("Length accepted %q, which holds a NUL or is not UTF-8", s)
			}
		} else if !strings.Contains(err.Error(), "invalid first_name:") {
			t.Fatalf("Length refusal does not name the field: %v", err)
		}

		const slugMax = 200
		if err := Slug("slug", s, slugMax); err == nil {
			if len(s) < 1 || len(s) > slugMax {
				t.Fatalf("Slug accepted %q of %d bytes", s, len(s))
			}
			for _, r := range s {
				if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
					t.Fatalf("Slug accepted %q holding %q", s, r)
				}
			}
		} else if !strings.Contains(err.Error(), "invalid slug:") {
			t.Fatalf("Slug refusal does not name the field: %v", err)
		}
	})
}
