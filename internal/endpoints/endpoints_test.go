package endpoints

import (
	"net/url"
	"strings"
	"testing"
)

func TestIdentifiersStayOneSegment(t *testing.T) {
	for _, id := range []string{"..", ".", "../x", "a/b", "?q=1", "#f", "%2F", "%2E%2E", " ", "é", "a;b", "\x00"} {
		for name, path := range map[string]string{
			"Country": Country(id), "Invitation": Invitation(id), "Invite": Invite(id),
			"Organization": Organization(id), "OrganizationIncrement": OrganizationIncrement(id), "User": User(id),
		} {
			u, err := url.Parse("https://h/api/" + path)
			if err != nil {
				t.Errorf("%s(%q) = %q: %v", name, id, path, err)
				continue
			}
			if u.RawQuery != "" || u.Fragment != "" {
				t.Errorf("%s(%q) = %q changes the query or fragment", name, id, path)
			}
			segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
			for _, s := range segs {
				if s == ".." || s == "." {
					t.Errorf("%s(%q) = %q has a dot segment", name, id, path)
				}
			}
			base := strings.Count(strings.Trim(strings.Replace(path, "{id}", "x", 1), "/"), "/")
			if want := strings.Count(strings.Trim(pathFor(name), "/"), "/"); base != want {
				t.Errorf("%s(%q) = %q has %d slashes, want %d", name, id, path, base, want)
			}
			back, err := url.PathUnescape(segs[len(segs)-1-tail(name)])
			if err != nil || back != id {
				t.Errorf("%s(%q): segment reads back as %q", name, id, back)
			}
		}
	}
}

// pathFor is each builder's path with a plain identifier.
func pathFor(name string) string {
	switch name {
	case "Country":
		return Country("x")
	case "Invitation":
		return Invitation("x")
	case "Invite":
		return Invite("x")
	case "Organization":
		return Organization("x")
	case "OrganizationIncrement":
		return OrganizationIncrement("x")
	}
	return User("x")
}

// tail is how many segments follow the identifier.
func tail(name string) int {
	if name == "OrganizationIncrement" {
		return 1
	}
	return 0
}
