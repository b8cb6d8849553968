package accountstest

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestNewUUIDIsVersion4(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		u := newUUID(rng)
		if !re.MatchString(u) || seen[u] {
			t.Fatalf("uuid %q (repeat %v)", u, seen[u])
		}
		seen[u] = true
	}
}

func TestOrganizationValidation(t *testing.T) {
	s := newTestServer(t)
	org := s.Organizations()[0]
	other := s.Organizations()[1]
	path := "/api/accounts/organizations/" + org.UUID + "/"
	cases := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/api/accounts/organizations/", `{"slug":"x"}`, 400, `{"name":["This field is required."]}`},
		{"POST", "/api/accounts/organizations/", `{"name":"  ","slug":"x"}`, 400, `{"name":["This field may not be blank."]}`},
		{"POST", "/api/accounts/organizations/", `{"name":"` + strings.Repeat("n", 201) + `","slug":"x"}`, 400, `Ensure this field has no more than 200 characters.`},
		{"POST", "/api/accounts/organizations/", `{"name":"n","slug":"a b"}`, 400, `Enter a valid \"slug\"`},
		{"POST", "/api/accounts/organizations/", `{"name":"n","slug":"` + other.Slug + `"}`, 400, `organization with this slug already exists.`},
		{"PUT", path, `{"name":"only name"}`, 400, `{"slug":["This field is required."]}`},
		{"PATCH", path, `{"slug":"` + org.Slug + `"}`, 200, `"slug":"` + org.Slug + `"`},
		{"PATCH", path, `{"name":"New"}`, 200, `"name":"New"`},
		{"GET", "/api/accounts/organizations/not-a-uuid/", "", 404, `No Organization matches the given query.`},
		{"POST", path + "increment/", `{"usage":"many"}`, 400, `{"usage":["A valid integer is required."]}`},
		{"GET", "/api/accounts/organizations/?id=x", "", 400, `{"id":["Enter a number."]}`},
		{"GET", "/api/accounts/organizations/?page=0", "", 404, `Invalid page.`},
	}
	for _, tc := range cases {
		status, _, b := call(t, s, tc.method, tc.path, OwnerToken, "application/json", tc.body)
		if status != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s %s %s: %d %s", tc.method, tc.path, tc.body, status, b)
		}
	}
	status, _, b := call(t, s, "POST", path+"increment/", AdminToken, "application/json", "")
	var u map[string]any
	_ = json.Unmarshal(b, &u)
	if status != 200 || u["usage"] != float64(org.Usage+1) || u["remaining"] != float64(org.Limit-org.Usage-1) {
		t.Errorf("increment without a body: %d %s", status, b)
	}
	if status, _, _ := call(t, s, "DELETE", path, MemberToken, "", ""); status != 403 {
		t.Errorf("member delete: %d", status)
	}
}

func TestOverriddenLimit(t *testing.T) {
	s := newTestServer(t)
	var o Organization
	for _, org := range s.Organizations() {
		if org.Overridden {
			o = org
			break
		}
	}
	if o.UUID == "" {
		t.Fatal("no organization with an overridden limit")
	}
	status, _, b := call(t, s, "POST", "/api/accounts/organizations/"+o.UUID+"/increment/", OwnerToken, "application/json", `{"usage":5000}`)
	if status != 200 || !strings.Contains(string(b), `"overriden":true`) || !strings.Contains(string(b), `"remaining":-`) {
		t.Errorf("overridden increment: %d %s", status, b)
	}
}
