package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/internal/apierror"
)

func field(err error) string {
	var ie *apierror.InputError
	if errors.As(err, &ie) {
		return ie.Field
	}
	return ""
}

func TestChecks(t *testing.T) {
	neg, zero := -1, 0
	cases := []struct {
		name string
		err  error
		bad  bool
	}{
		{"negative", NonNegative("limit", &neg), true},
		{"zero ok", NonNegative("limit", &zero), false},
		{"nil ok", NonNegative("limit", nil), false},
		{"positive 0", Positive("id", 0), true},
		{"positive 1", Positive("id", 1), false},
		{"if set: nil ok", PositiveIfSet("page", nil), false},
		{"if set: zero", PositiveIfSet("page", &zero), true},
		{"items ok", PositiveItems("groups", []int{1, 3}), false},
		{"items empty ok", PositiveItems("groups", nil), false},
		{"items zero", PositiveItems("groups", []int{2, 0}), true},
		{"empty", NotEmpty("id", ""), true},
		{"list comma", ListItems("x__in", []string{"a", "b,c"}), true},
		{"list empty item", ListItems("x__in", []string{""}), true},
		{"list ok", ListItems("x__in", []string{"a", "b"}), false},
		{"uuid ok", UUID("uuid", "497f6eca-6276-4993-bfeb-53cbbbba6f08"), false},
		{"uuid upper ok", UUID("uuid", "497F6ECA-6276-4993-BFEB-53CBBBBA6F08"), false},
		{"uuid short", UUID("uuid", "497f6eca-6276-4993-bfeb-53cbbbba6f0"), true},
		{"uuid path", UUID("uuid", "../497f6eca-6276-4993-bfeb-53cbbbba6f08"), true},
		{"uuid newline", UUID("uuid", "497f6eca-6276-4993-bfeb-53cbbbba6f08\n"), true},
		{"length empty", Length("name", "", 1, 200), true},
		{"length max", Length("name", strings.Repeat("é", 200), 1, 200), false},
		{"length over", Length("name", strings.Repeat("a", 201), 1, 200), true},
		{"slug ok", Slug("slug", "green-harbor_2", 200), false},
		{"slug space", Slug("slug", "green harbor", 200), true},
		{"slug unicode", Slug("slug", "grün", 200), true},
		{"slug long", Slug("slug", strings.Repeat("a", 201), 200), true},
		{"email ok", Email("email", "ana@example.com", 254), false},
		{"email plus ok", Email("email", "ana+test@sub.example.co", 254), false},
		{"email no at", Email("email", "ana.example.com", 254), true},
		{"email display name", Email("email", "Ana <ana@example.com>", 254), true},
		{"email no dot domain", Email("email", "ana@localhost", 254), true},
		{"email two", Email("email", "a@example.com, b@example.com", 254), true},
		{"email long", Email("email", strings.Repeat("a", 250)+"@example.com", 254), true},
		{"email empty", Email("email", "", 1024), true},
		{"email one-letter tld", Email("email", "ana@example.c", 254), true},
		{"email hyphen label", Email("email", "ana@-example.com", 254), true},
		{"email empty label", Email("email", "ana@example..com", 254), true},
		{"email literal", Email("email", "ana@[192.0.2.1]", 254), true},
		{"email underscore", Email("email", "ana@ex_ample.com", 254), true},
		{"email idn ok", Email("email", "ana@münchen.de", 254), false},
		{"email devanagari ok", Email("email", "user@उदाहरण.भारत", 254), false},
		{"email tamil ok", Email("email", "user@இலங்கை.இலங்கை", 254), false},
		{"email arabic digits ok", Email("email", "user@example.۱۲۳.com", 254), false},
		{"email punycode ok", Email("email", "user@xn--mnchen-3ya.de", 254), false},
		{"email symbol in domain", Email("email", "user@exa☃mple.com", 254), true},
		{"email bom", Email("email", "\ufeffana@example.com", 254), true},
		{"email zero-width space", Email("email", "a\u200bna@example.com", 254), true},
		{"email non-ascii local", Email("email", "jöe@example.com", 254), true},
		{"email quoted refused", Email("email", `"ana smith"@example.com`, 254), true},
		{"email atext ok", Email("email", "a!#$%&'*+/=?^_`{|}~-z@example.com", 254), false},
		{"email bad utf-8", Email("email", "jos\xe9@example.com", 254), true},
		{"length bad utf-8", Length("first_name", "Jos\xe9", 0, 150), true},
		{"not empty bad utf-8", NotEmpty("invitee_identifier", "\xff"), true},
		{"email hyphen inside ok", Email("email", "ana@my-example.co.uk", 254), false},
		{"blank", NotEmpty("invitee_identifier", "  \t"), true},
		{"length blank", Length("name", "   ", 1, 200), true},
		{"length blank ok when optional", Length("first_name", "   ", 0, 150), false},
		{"length padded ok", Length("name", " Green ", 1, 200), false},
		{"length max padded ok", Length("name", " "+strings.Repeat("a", 200)+" \n", 1, 200), false}, // the server trims, then counts
		{"length over padded", Length("name", " "+strings.Repeat("a", 201)+" ", 1, 200), true},
		{"length padded with separators ok", Length("first_name", "\x1c"+strings.Repeat("a", 150)+"\x1f", 0, 150), false}, // Python's strip removes them
		{"length blank with separators", Length("name", "\x1c\x1f", 1, 200), true},
		{"text ok", Text("search", "grün harbor\t"), false},
		{"text empty ok", Text("search", ""), false},
		{"text nul", Text("search", "green\x00"), true},
		{"text bad utf-8", Text("search", "gr\xfcn"), true},
		{"text surrogate bytes", Text("search", "\xed\xa0\x80"), true},
		{"length nul", Length("first_name", "Ana\x00", 0, 150), true},
		{"not empty nul", NotEmpty("invitee_identifier", "\x00"), true},
		{"email nul", Email("email", "ana@example.com\x00", 254), true},
		{"slug nul", Slug("slug", "green\x00", 200), true},
		{"list item nul", ListItems("country__in", []string{"NL", "B\x00"}), true},
	}
	for _, tc := range cases {
		if (tc.err != nil) != tc.bad {
			t.Errorf("%s: err = %v", tc.name, tc.err)
		}
		if tc.err != nil && field(tc.err) == "" {
			t.Errorf("%s: not an InputError naming the field: %v", tc.name, tc.err)
		}
	}
}
