package accountstest

import (
	"strings"
	"testing"
)

// TestCharFields checks that string fields of request bodies behave like
// Django REST framework's CharField and EmailField (trim_whitespace=True):
// trimmed before validating and storing, numbers taken as their text, other
// non-strings refused, and null refused as null, not as missing.
func TestCharFields(t *testing.T) {
	s := newTestServer(t)
	generated := s.UsersOfWorkspace(1)[5]
	userPath := "/api/accounts/users/" + generated.UUID + "/"
	cases := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"org name trimmed", "POST", "/api/accounts/organizations/", `{"name":"  Acme  ","slug":" acme-trim\n"}`, 201, `"name":"Acme","slug":"acme-trim"`},
		{"org length after trimming", "POST", "/api/accounts/organizations/", `{"name":" ` + strings.Repeat("n", 200) + ` ","slug":"long-trim"}`, 201, `"slug":"long-trim"`},
		{"org too long after trimming", "POST", "/api/accounts/organizations/", `{"name":"` + strings.Repeat("n", 201) + `","slug":"x"}`, 400, "no more than 200"},
		{"org blank after trimming", "POST", "/api/accounts/organizations/", `{"name":"\t\n ","slug":"x"}`, 400, `{"name":["This field may not be blank."]}`},
		{"org separators are white space", "POST", "/api/accounts/organizations/", `{"name":"\u001c\u001f","slug":"x"}`, 400, `{"name":["This field may not be blank."]}`},
		{"user name length after trimming separators", "PATCH", userPath, `{"first_name":"\u001c` + strings.Repeat("n", 150) + `\u001f"}`, 200, `"first_name":"` + strings.Repeat("n", 150) + `"`},
		{"org number as text", "POST", "/api/accounts/organizations/", `{"name":123,"slug":456}`, 201, `"name":"123","slug":"456"`},
		{"org boolean", "POST", "/api/accounts/organizations/", `{"name":true,"slug":"x"}`, 400, `{"name":["Not a valid string."]}`},
		{"org object", "POST", "/api/accounts/organizations/", `{"name":{},"slug":"x"}`, 400, `{"name":["Not a valid string."]}`},
		{"org array", "POST", "/api/accounts/organizations/", `{"name":["a"],"slug":"x"}`, 400, `{"name":["Not a valid string."]}`},
		{"org null", "POST", "/api/accounts/organizations/", `{"name":null,"slug":"x"}`, 400, `{"name":["This field may not be null."]}`},
		{"user names trimmed", "PATCH", userPath, `{"first_name":"  Ada ","last_name":" Lovelace","email":" ada@example.com "}`, 200, `"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace"`},
		{"user number name", "PATCH", userPath, `{"first_name":7}`, 200, `"first_name":"7"`},
		{"user boolean name", "PATCH", userPath, `{"last_name":false}`, 400, `{"last_name":["Not a valid string."]}`},
		{"user name length after trimming", "PATCH", userPath, `{"first_name":"  ` + strings.Repeat("n", 150) + `  "}`, 200, `"first_name":"` + strings.Repeat("n", 150) + `"`},
		{"invitation email trimmed", "POST", "/api/accounts/invitations/", `{"email":"  trim@example.com ","auth_group":3}`, 201, `"email":"trim@example.com"`},
		{"invitation email null", "POST", "/api/accounts/invitations/", `{"email":null,"auth_group":3}`, 400, `{"email":["This field may not be null."]}`},
		{"invitation email number", "POST", "/api/accounts/invitations/", `{"email":12,"auth_group":3}`, 400, `{"email":["Enter a valid email address."]}`},
		{"invitation email boolean", "POST", "/api/accounts/invitations/", `{"email":true,"auth_group":3}`, 400, `{"email":["Not a valid string."]}`},
		{"invitation group null", "POST", "/api/accounts/invitations/", `{"email":"g@example.com","auth_group":null}`, 400, `{"auth_group":["This field may not be null."]}`},
		{"invite identifier trimmed", "POST", "/api/accounts/invite/", `{"invitee_identifier":" someone@example.com "}`, 201, `"invitee_identifier":"someone@example.com"`},
		{"invite identifier number", "POST", "/api/accounts/invite/", `{"invitee_identifier":42}`, 201, `"invitee_identifier":"42"`},
		{"invite identifier null", "POST", "/api/accounts/invite/", `{"invitee_identifier":null}`, 400, `{"invitee_identifier":["This field may not be null."]}`},
		{"invite identifier array", "POST", "/api/accounts/invite/", `{"invitee_identifier":[]}`, 400, `{"invitee_identifier":["Not a valid string."]}`},
		{"invite role null", "POST", "/api/accounts/invite/", `{"invitee_identifier":"r","role":null}`, 400, `{"role":["This field may not be null."]}`},
		{"login email trimmed", "POST", "/api/accounts/login_url/", `{"email":" nobody@example.com\t"}`, 200, `"params":"account_identifier=nobody%40example.com\u0026`},
		{"login email null", "POST", "/api/accounts/login_url/", `{"email":null}`, 400, `{"email":["This field may not be null."]}`},
		{"login email blank", "POST", "/api/accounts/login_url/", `{"email":"  "}`, 400, `{"email":["This field may not be blank."]}`},
		{"login email boolean", "POST", "/api/accounts/login_url/", `{"email":false}`, 400, `{"email":["Not a valid string."]}`},
		{"user is_active null", "PATCH", userPath, `{"is_active":null}`, 400, `{"is_active":["This field may not be null."]}`},
		{"user groups null", "PATCH", userPath, `{"groups":null}`, 400, `{"groups":["This field may not be null."]}`},
		{"consent null", "PATCH", "/api/accounts/analysts/current/", `{"consent_given":null}`, 400, `{"consent_given":["This field may not be null."]}`},
		{"sign null", "PATCH", "/api/accounts/user-config", `{"sign_stakeholder_agreement":null}`, 400, `{"sign_stakeholder_agreement":["This field may not be null."]}`},
		{"usage null", "POST", "/api/accounts/organizations/" + s.Organizations()[1].UUID + "/increment/", `{"usage":null}`, 400, `{"usage":["This field may not be null."]}`},
		{"switch company null", "POST", "/api/accounts/users/me/switch-workspace/", `{"company_id":null}`, 400, `{"company_id":["This field may not be null."]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, b := call(t, s, tc.method, tc.path, OwnerToken, "application/json", tc.body)
			if status != tc.status || !strings.Contains(string(b), tc.want) {
				t.Errorf("%s %s %s: %d %s", tc.method, tc.path, tc.body, status, b)
			}
		})
	}
	var stored bool
	for _, o := range s.Organizations() {
		stored = stored || o.Name == "Acme" && o.Slug == "acme-trim"
	}
	if !stored {
		t.Error(`"  Acme  " was not stored as "Acme"`)
	}
	for _, p := range s.Users() {
		if p.UUID == generated.UUID && (p.Email != "ada@example.com" || p.LastName != "Lovelace") {
			t.Errorf("stored user = %+v", p)
		}
	}
}
