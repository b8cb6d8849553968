package endpoints

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzIdentifierPaths builds every path that takes an identifier from a fuzzed
// id and checks that, resolved against the base URL both ways the SDK could
// (text appended to the base, as core does, and RFC 3986 reference
// resolution), the path stays on its resource, holds the id as exactly one
// segment and adds no query or fragment.
func FuzzIdentifierPaths(f *testing.F) {
	for _, id := range []string{
		"NL", "497f6eca-6276-4993-bfeb-53cbbbba6f08", "..", ".", "../x", "..%2F", "%2e%2e", "%2E%2E/x",
		"a/b", "/", "\\..\\x", "?q=1", "#f", "%2F", "é", "\x00", "a;b", "javascript:alert(1)", "//evil.test/x",
		"...", " ..", "%", "\xff\xfe",
	} {
		f.Add(id)
	}
	base, err := url.Parse("https://api.test/api/")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if id == "" {
			// An empty id addresses the collection itself; every service
			// refuses it before building a path (NotEmpty, UUID).
			return
		}
		for _, b := range []struct {
			name, path, prefix, tail string
		}{
			{"Country", Country(id), "/api/accounts/countries/", ""},
			{"Invitation", Invitation(id), "/api/accounts/invitations/", "/"},
			{"Invite", Invite(id), "/api/accounts/invite/", "/"},
			{"Organization", Organization(id), "/api/accounts/organizations/", "/"},
			{"OrganizationIncrement", OrganizationIncrement(id), "/api/accounts/organizations/", "/increment/"},
			{"User", User(id), "/api/accounts/users/", "/"},
		} {
			appended, err := url.Parse(base.String() + b.path)
			if err != nil {
				t.Fatalf("%s(%q) = %q does not parse: %v", b.name, id, b.path, err)
			}
			ref, err := url.Parse(b.path)
			if err != nil {
				t.Fatalf("%s(%q) = %q does not parse as a reference: %v", b.name, id, b.path, err)
			}
			for how, u := range map[string]*url.URL{"appended": appended, "resolved": base.ResolveReference(ref)} {
				if u.Scheme != "https" || u.Host != "api.test" || u.User != nil {
					t.Fatalf("%s(%q) %s leaves the origin: %s", b.name, id, how, u)
				}
				if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
					t.Fatalf("%s(%q) %s adds a query or fragment: %s", b.name, id, how, u)
				}
				p := u.EscapedPath()
				if !strings.HasPrefix(p, b.prefix) || !strings.HasSuffix(p, b.tail) || len(p) < len(b.prefix)+len(b.tail) {
					t.Fatalf("%s(%q) %s = %s, not under %s...%s", b.name, id, how, p, b.prefix, b.tail)
				}
				seg := p[len(b.prefix) : len(p)-len(b.tail)]
				if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "/\\?#") {
					t.Fatalf("%s(%q) %s: segment %q is not one plain segment", b.name, id, how, seg)
				}
				back, err := url.PathUnescape(seg)
				if err != nil || back != id {
					t.Fatalf("%s(%q) %s: segment %q reads back as %q (%v)", b.name, id, how, seg, back, err)
				}
				if got := u.Path; got != b.prefix+id+b.tail {
					t.Fatalf("%s(%q) %s: decoded path %q", b.name, id, how, got)
				}
			}
		}
	})
}
