package accountstest

import (
	"strings"
	"testing"
)

// TestSearchTerms checks that search works like Django REST framework's
// SearchFilter in every list that takes it: the parameter is split into terms
// on white space and commas, and every term must be contained, ignoring case,
// in at least one search field.
func TestSearchTerms(t *testing.T) {
	s := newTestServer(t)
	count := func(q string) int {
		t.Helper()
		var p wsPage
		if status := get(t, s, "/api/accounts/workspaces?limit=1000&"+q, &p); status != 200 {
			t.Fatalf("%s: %d", q, status)
		}
		return p.Count
	}
	want := 0
	for _, w := range s.Workspaces() {
		if n := strings.ToLower(w.Name); strings.Contains(n, "harbor") && strings.Contains(n, "green") {
			want++
		}
	}
	if want == 0 {
		t.Fatal("no workspace named with both green and harbor")
	}
	for _, q := range []string{"search=harbor+green", "search=HARBOR,green", "search=%20green%09harbor,,%20"} {
		if got := count(q); got != want {
			t.Errorf("%s: count %d, want %d", q, got, want)
		}
	}
	if a, b := count("search=%20green"), count("search=green"); a != b || a == 0 {
		t.Errorf("search=%%20green counts %d, search=green %d", a, b)
	}
	if a, b := count("search=%20,%20"), count(""); a != b {
		t.Errorf("a search of separators only counts %d, no search %d", a, b)
	}
	if got := count("search=green+nosuchword"); got != 0 {
		t.Errorf("a term matching nothing still counts %d", got)
	}

	var countries []Country
	get(t, s, "/api/accounts/countries?search=kingdom+united", &countries)
	if len(countries) != 1 || countries[0].Alpha2 != "GB" {
		t.Errorf("countries search=kingdom united: %+v", countries)
	}

	org := s.Organizations()[0]
	words := strings.Fields(org.Name) // a term from the name, another only in the slug
	id := org.Slug[strings.LastIndexByte(org.Slug, '-'):]
	status, _, b := call(t, s, "GET", "/api/accounts/organizations/?search="+words[1]+"+"+id, OwnerToken, "", "")
	if status != 200 || !strings.Contains(string(b), org.UUID) {
		t.Errorf("organizations search on name and slug: %d %s", status, b)
	}

	owner, _ := s.TokenUser(OwnerToken)
	q := "search=" + strings.ToUpper(owner.FirstName) + "+" + owner.Email[:strings.IndexByte(owner.Email, '@')+1]
	status, _, b = call(t, s, "GET", "/api/accounts/users/?"+q, OwnerToken, "", "")
	if status != 200 || strings.Count(string(b), `"email":`) != 1 || !strings.Contains(string(b), `"email":"`+owner.Email+`"`) {
		t.Errorf("users %s: %d %s", q, status, b)
	}
	status, _, b = call(t, s, "GET", "/api/accounts/users/?search="+owner.FirstName+"+nosuchword", OwnerToken, "", "")
	if status != 200 || string(b) != "[]" {
		t.Errorf("users with an unmatched term: %d %s", status, b)
	}
	var analyst *User
	for _, p := range s.Users() {
		if p.Analyst {
			analyst = &p
			break
		}
	}
	if analyst == nil {
		t.Fatal("no analyst")
	}
	q = "search=" + analyst.LastName + "," + analyst.FirstName
	status, _, b = call(t, s, "GET", "/api/accounts/analysts/?"+q, OwnerToken, "", "")
	if status != 200 || !strings.Contains(string(b), analyst.UUID) {
		t.Errorf("analysts %s: %d %s", q, status, b)
	}
}
