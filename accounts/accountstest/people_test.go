package accountstest

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestServerRules drives the server's validation with raw requests, including
// bodies the SDK would refuse to send.
func TestServerRules(t *testing.T) {
	s := newTestServer(t)
	owner, _ := s.TokenUser(OwnerToken)
	member, _ := s.TokenUser(MemberToken)
	generated := s.UsersOfWorkspace(1)[5]
	cases := []struct {
		name, token, method, path, body string
		status                          int
		want                            string
	}{
		{"member lacks view_user", MemberToken, "GET", "/api/accounts/users/", "", 403, "You do not have permission"},
		{"member lacks view_user on one", MemberToken, "GET", "/api/accounts/users/" + member.UUID + "/", "", 403, "permission"},
		{"bare array without paging", OwnerToken, "GET", "/api/accounts/users/?search=owner@", "", 200, `[{"first_name":"Owner"`},
		{"envelope with page_size", OwnerToken, "GET", "/api/accounts/users/?search=owner@&page_size=5", "", 200, `{"count":1,"next":null`},
		{"user outside the workspace", AdminToken, "GET", "/api/accounts/users/" + generated.UUID + "/", "", 404, "No User matches"},
		{"user bad email", OwnerToken, "POST", "/api/accounts/users/", `{"email":"a@b"}`, 400, `{"email":["Enter a valid email address."]}`},
		{"user long name", OwnerToken, "POST", "/api/accounts/users/", `{"first_name":"` + strings.Repeat("n", 151) + `"}`, 400, "no more than 150"},
		{"user groups not a list", OwnerToken, "PATCH", "/api/accounts/users/" + generated.UUID + "/", `{"groups":3}`, 400, `Expected a list of items`},
		{"user is_active not boolean", OwnerToken, "PATCH", "/api/accounts/users/" + generated.UUID + "/", `{"is_active":"perhaps"}`, 400, "Must be a valid boolean."},
		{"token user not deleted", OwnerToken, "DELETE", "/api/accounts/users/" + owner.UUID + "/", "", 403, "cannot be deleted"},
		{"member cannot delete", MemberToken, "DELETE", "/api/accounts/users/" + member.UUID + "/", "", 403, "permission"},
		{"invite missing email", OwnerToken, "POST", "/api/accounts/invitations/", `{"auth_group":3}`, 400, `{"email":["This field is required."]}`},
		{"invite group as string", OwnerToken, "POST", "/api/accounts/invitations/", `{"email":"s@example.com","auth_group":"x"}`, 400, "Incorrect type"},
		{"invite long email", OwnerToken, "POST", "/api/accounts/invitations/", `{"email":"` + strings.Repeat("e", 1020) + `@x.io","auth_group":3}`, 400, "no more than 1024"},
		{"invite owner", OwnerToken, "POST", "/api/accounts/invitations/", `{"email":"o@example.com","auth_group":1}`, 400, "Owners cannot be invited"},
		{"invite admin as member", MemberToken, "POST", "/api/accounts/invitations/", `{"email":"a@example.com","auth_group":2}`, 403, "Only OWNER and ADMIN"},
		{"status unknown", OwnerToken, "GET", "/api/accounts/invitations/nope/", "", 404, "No Invitation"},
		{"invite identifier blank", OwnerToken, "POST", "/api/accounts/invite/", `{"invitee_identifier":" "}`, 400, "may not be blank"},
		{"invite unknown role", OwnerToken, "POST", "/api/accounts/invite/", `{"invitee_identifier":"z","role":"KING"}`, 400, `\"KING\" is not a valid choice.`},
		{"member cannot list invites", MemberToken, "GET", "/api/accounts/invite/", "", 403, "permission"},
		{"consent not boolean", OwnerToken, "PATCH", "/api/accounts/analysts/current/", `{"consent_given":"sure"}`, 400, "Must be a valid boolean."},
		{"login missing email", OwnerToken, "POST", "/api/accounts/login_url/", `{}`, 400, "This field is required."},
		{"login bad email", OwnerToken, "POST", "/api/accounts/login_url/", `{"email":"nope"}`, 400, "Enter a valid email address."},
		{"login non-ascii local part", OwnerToken, "POST", "/api/accounts/login_url/", `{"email":"\ufeffana@example.com"}`, 400, "Enter a valid email address."},
		{"login unknown email still answers", OwnerToken, "POST", "/api/accounts/login_url/", `{"email":"nobody@example.com"}`, 200, "account_identifier=nobody%40example.com"},
		{"portal method", OwnerToken, "POST", "/api/accounts/portal/", "", 405, `Method \"POST\" not allowed.`},
		{"groups page", OwnerToken, "GET", "/api/accounts/groups/?page=9", "", 404, "Invalid page."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, b := call(t, s, tc.method, tc.path, tc.token, "application/json", tc.body)
			if status != tc.status || !strings.Contains(string(b), tc.want) {
				t.Errorf("%s %s %s: %d %s", tc.method, tc.path, tc.body, status, b)
			}
		})
	}
}

func TestUsersDataIsConsistent(t *testing.T) {
	s := newTestServer(t)
	all := s.Users()
	if len(all) != 3+DefaultUserCount {
		t.Fatalf("%d users", len(all))
	}
	seen := map[string]bool{}
	shared := 0
	for i, u := range all {
		if u.ID != i+1 || seen[u.UUID] || !validEmail(u.Email) || len(u.Workspaces) == 0 {
			t.Fatalf("user %d = %+v", i, u)
		}
		seen[u.UUID] = true
		if u.Email == SharedEmail {
			shared++
		}
	}
	if shared < 2 {
		t.Errorf("%d users share SharedEmail, want at least 2", shared)
	}
	// The token users' records follow their memberships.
	for _, tok := range []string{OwnerToken, AdminToken, MemberToken} {
		u, ok := s.TokenUser(tok)
		if !ok || len(u.Workspaces) != len(s.MembershipsOf(tok)) {
			t.Errorf("%s: %+v", tok, u)
		}
	}
}

func TestProfileShape(t *testing.T) {
	s := newTestServer(t)
	status, _, b := call(t, s, "GET", "/api/accounts/users/me/", MemberToken, "", "")
	var p map[string]any
	if err := json.Unmarshal(b, &p); status != 200 || err != nil {
		t.Fatalf("%d %s", status, b)
	}
	for _, k := range []string{"first_name", "last_name", "email", "id", "firebase_uid", "active_user_company_id", "user_company", "company",
		"job_title", "auth_group", "is_mfa_enrolled", "is_mfa_required", "data_room_consumer_id", "pylon_email_hash"} {
		if _, ok := p[k]; !ok {
			t.Errorf("profile lacks %q", k)
		}
	}
	ag, _ := p["auth_group"].(map[string]any)
	if ag["name"] != "MEMBER" {
		t.Errorf("auth_group = %v", ag)
	}
}
