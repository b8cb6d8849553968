package accountstest

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
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

// TestIncrementDoesNotOverflow sends increments a Go int can hold but not add
// to the usage: the limit must hold, and the usage must not wrap around.
func TestIncrementDoesNotOverflow(t *testing.T) {
	s := newTestServer(t)
	var limited, overridden Organization
	for _, o := range s.Organizations() {
		if o.Overridden && overridden.UUID == "" {
			overridden = o
		}
		if !o.Overridden && limited.UUID == "" {
			limited = o
		}
	}
	increment := func(o Organization, body string) (int, string) {
		status, _, b := call(t, s, "POST", "/api/accounts/organizations/"+o.UUID+"/increment/", OwnerToken, "application/json", body)
		return status, string(b)
	}
	maxInt, minInt := strconv.Itoa(math.MaxInt), strconv.Itoa(math.MinInt)
	for _, tc := range []struct {
		o          Organization
		body, want string
	}{
		{limited, `{"usage":"` + maxInt + `"}`, "Ensure this value is less than or equal to"},
		{limited, `{"usage":"` + strconv.Itoa(math.MaxInt-limited.Usage+1) + `"}`, "Ensure this value is less than or equal to"},
		{overridden, `{"usage":"` + maxInt + `"}`, "Ensure this value is less than or equal to"},
		{overridden, `{"usage":"` + minInt + `"}`, "Ensure this value is greater than or equal to"},
	} {
		if status, b := increment(tc.o, tc.body); status != 400 || !strings.Contains(b, `{"usage":["`+tc.want) {
			t.Errorf("%s: %d %s", tc.body, status, b)
		}
	}
	for _, o := range []Organization{limited, overridden} {
		i := slices.IndexFunc(s.Organizations(), func(x Organization) bool { return x.UUID == o.UUID })
		if got := s.Organizations()[i].Usage; got != o.Usage {
			t.Errorf("%s: usage %d after refused increments, was %d", o.Name, got, o.Usage)
		}
	}
	// Large increments within the bounds still add up, without wrapping.
	big := math.MaxInt / 8
	for range 2 {
		if status, b := increment(overridden, `{"usage":"`+strconv.Itoa(big)+`"}`); status != 200 {
			t.Errorf("big increment: %d %s", status, b)
		}
	}
	if status, b := increment(overridden, `{"usage":"`+strconv.Itoa(2*big)+`"}`); status != 400 {
		t.Errorf("an increment past the bound: %d %s", status, b)
	}
	status, b := increment(overridden, `{"usage":0}`)
	if want := fmt.Sprintf(`"remaining":%d,"usage":%d`, overridden.Limit-overridden.Usage-2*big, overridden.Usage+2*big); status != 200 || !strings.Contains(b, want) {
		t.Errorf("after the big increments: %d %s, want %s", status, b, want)
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

// TestOrganizationRightsFollowTheUsersGroup: an admin demoted to MEMBER by a
// user update may no longer manage organizations, and the user config reports
// the new role, as every other permission follows the user's current group.
func TestOrganizationRightsFollowTheUsersGroup(t *testing.T) {
	s := newTestServer(t)
	create := func(slug string) int {
		code, _, _ := call(t, s, "POST", "/api/accounts/organizations/", AdminToken, "application/json", `{"name":"Org","slug":"`+slug+`"}`)
		return code
	}
	if code := create("before"); code != http.StatusCreated {
		t.Fatalf("admin create = %d, want 201", code)
	}
	admin, ok := s.TokenUser(AdminToken)
	if !ok {
		t.Fatal("no admin user")
	}
	// The owner can change only the users of its active workspace: switch
	// to one the admin belongs to.
	owner, _ := s.TokenUser(OwnerToken)
	shared := 0
	for _, id := range admin.Workspaces {
		if slices.Contains(owner.Workspaces, id) {
			shared = id
		}
	}
	if code, _, b := call(t, s, "POST", "/api/accounts/users/me/switch-workspace/", OwnerToken, "application/json", fmt.Sprintf(`{"company_id":%d}`, shared)); code != http.StatusOK {
		t.Fatalf("switch to %d = %d %s", shared, code, b)
	}
	patch := fmt.Sprintf(`{"groups":[%d]}`, GroupMember)
	if code, _, b := call(t, s, "PATCH", "/api/accounts/users/"+admin.UUID+"/", OwnerToken, "application/json", patch); code != http.StatusOK {
		t.Fatalf("demote = %d %s", code, b)
	}
	if code := create("after"); code != http.StatusForbidden {
		t.Fatalf("demoted create = %d, want 403", code)
	}
	if code, _, b := call(t, s, "GET", "/api/accounts/user-config", AdminToken, "", ""); code != http.StatusOK || !strings.Contains(string(b), `"role":"MEMBER"`) {
		t.Fatalf("user config = %d %s, want role MEMBER", code, b)
	}
}

// TestInvitationRolesAreDeploymentDefined: the roles are an option; the first
// is the default, anything else is refused as DRF's ChoiceField refuses it,
// and the OWNER and ADMIN rules hold only for roles of those names.
func TestInvitationRolesAreDeploymentDefined(t *testing.T) {
	s := newTestServer(t, WithInvitationRoles("viewer", "editor", "1", "ADMIN"))
	cases := []struct {
		token, body string
		status      int
		want        string
	}{
		{OwnerToken, `{"invitee_identifier":"a@example.com"}`, 201, `"role":"viewer"`},
		{OwnerToken, `{"invitee_identifier":"b@example.com","role":"editor"}`, 201, `"role":"editor"`},
		{OwnerToken, `{"invitee_identifier":"c@example.com","role":1}`, 201, `"role":"1"`},
		{OwnerToken, `{"invitee_identifier":"d@example.com","role":"MEMBER"}`, 400, `{"role":["\"MEMBER\" is not a valid choice."]}`},
		{OwnerToken, `{"invitee_identifier":"d@example.com","role":"OWNER"}`, 400, `{"role":["\"OWNER\" is not a valid choice."]}`},
		{OwnerToken, `{"invitee_identifier":"d@example.com","role":"Editor"}`, 400, `\"Editor\" is not a valid choice.`},
		{OwnerToken, `{"invitee_identifier":"d@example.com","role":""}`, 400, `\"\" is not a valid choice.`},
		{OwnerToken, `{"invitee_identifier":"d@example.com","role":true}`, 400, `\"True\" is not a valid choice.`},
		{OwnerToken, `{"invitee_identifier":"d@example.com","role":null}`, 400, `This field may not be null.`},
		{MemberToken, `{"invitee_identifier":"d@example.com","role":"ADMIN"}`, 403, `Only OWNER and ADMIN users`},
	}
	for _, tc := range cases {
		status, _, b := call(t, s, "POST", "/api/accounts/invite/", tc.token, "application/json", tc.body)
		if status != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s: %d %s, want %d holding %s", tc.body, status, b, tc.status, tc.want)
		}
	}

	def := newTestServer(t, WithInvitationRoles())
	status, _, b := call(t, def, "POST", "/api/accounts/invite/", OwnerToken, "application/json", `{"invitee_identifier":"e@example.com"}`)
	if status != 201 || !strings.Contains(string(b), `"role":"`+DefaultInvitationRoles()[0]+`"`) {
		t.Errorf("no roles given: %d %s", status, b)
	}
	for _, r := range DefaultInvitationRoles()[1:2] {
		status, _, b := call(t, def, "POST", "/api/accounts/invite/", OwnerToken, "application/json", `{"invitee_identifier":"f@example.com","role":"`+r+`"}`)
		if status != 201 {
			t.Errorf("default role %s: %d %s", r, status, b)
		}
	}
}
