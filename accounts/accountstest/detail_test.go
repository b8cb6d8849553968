package accountstest

import (
	"strings"
	"testing"
)

// TestDetailLookupBeforeBody checks that detail routes look the object up
// before reading the body, as DRF's get_object() runs before request.data is
// parsed: an unknown identifier is 404 whatever the body, and a known one
// still gets the body's 400 or 415.
func TestDetailLookupBeforeBody(t *testing.T) {
	s := newTestServer(t)
	org := s.Organizations()[0]
	user := s.UsersOfWorkspace(1)[5]
	const unknown = "00000000-0000-4000-8000-000000000000"
	cases := []struct {
		name, method, path, contentType, body string
		status                                int
		want                                  string
	}{
		{"patch unknown org, malformed", "PATCH", "/api/accounts/organizations/" + unknown + "/", "application/json", `{"name":`, 404, "No Organization matches"},
		{"put unknown org, not json", "PUT", "/api/accounts/organizations/" + unknown + "/", "text/plain", `name=x`, 404, "No Organization matches"},
		{"increment unknown org, malformed", "POST", "/api/accounts/organizations/" + unknown + "/increment/", "application/json", `[`, 404, "No Organization matches"},
		{"increment unknown org, not json", "POST", "/api/accounts/organizations/" + unknown + "/increment/", "text/plain", `usage=1`, 404, "No Organization matches"},
		{"patch unknown user, malformed", "PATCH", "/api/accounts/users/" + unknown + "/", "application/json", `{`, 404, "No User matches"},
		{"put unknown user, not json", "PUT", "/api/accounts/users/" + unknown + "/", "text/plain", `x`, 404, "No User matches"},
		{"patch known org, malformed", "PATCH", "/api/accounts/organizations/" + org.UUID + "/", "application/json", `{"name":`, 400, "JSON parse error"},
		{"increment known org, not json", "POST", "/api/accounts/organizations/" + org.UUID + "/increment/", "text/plain", `usage=1`, 415, "Unsupported media type"},
		{"patch known user, malformed", "PATCH", "/api/accounts/users/" + user.UUID + "/", "application/json", `{`, 400, "JSON parse error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, b := call(t, s, tc.method, tc.path, OwnerToken, tc.contentType, tc.body)
			if status != tc.status || !strings.Contains(string(b), tc.want) {
				t.Errorf("%s %s %s: %d %s", tc.method, tc.path, tc.body, status, b)
			}
		})
	}
	// The permission check still comes first.
	status, _, b := call(t, s, "PATCH", "/api/accounts/organizations/"+unknown+"/", MemberToken, "application/json", `{`)
	if status != 403 {
		t.Errorf("member on an unknown organization: %d %s", status, b)
	}
}
