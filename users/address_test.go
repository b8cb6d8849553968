package users

import "testing"

func TestSameAddress(t *testing.T) {
	for _, tc := range []struct {
		stored, sent string
		want         bool
	}{
		{"ana@example.com", "ana@example.com", true},
		{"ana@example.com", "ana@Example.COM", true},  // Django lower-cases the domain
		{"Ana@example.com", "ana@example.com", false}, // the local part is kept as given
		{`"a@b"@example.com`, `"a@b"@EXAMPLE.com`, true},
		{"ana@example.com", "ana@example.org", false},
		{"no-at-sign", "no-at-sign", true},
		{"no-at-sign", "No-At-Sign", false},
	} {
		if got := sameAddress(tc.stored, tc.sent); got != tc.want {
			t.Errorf("sameAddress(%q, %q) = %v, want %v", tc.stored, tc.sent, got, tc.want)
		}
	}
}
