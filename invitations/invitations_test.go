package invitations_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/coolset-go/sdk/invitations"
	"github.com/jarcoal/httpmock"
)

const (
	userUUID = sdktest.UserUUID
	orgUUID  = sdktest.OrgUUID
)

const inviteUUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
const inviteJSON = `{"uuid":"` + inviteUUID + `","invitee_identifier":"ben@example.com","role":"REVIEWER","invited_by":"` + userUUID + `",` +
	`"sent_at":"2026-11-20T10:00:00Z","valid_until":"2026-12-04T10:00:00Z","organization":"green-harbor"}`

// checkInvite returns a function that asserts a call's result is the sample
// organization invitation, including the member the SDK does not know.
func checkInvite(t *testing.T) func(*invitations.Invitation, error) {
	return func(inv *invitations.Invitation, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		want := invitations.Invitation{
			UUID: inviteUUID, InviteeIdentifier: "ben@example.com", Role: "REVIEWER", InvitedBy: userUUID,
			SentAt:     time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
			ValidUntil: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC),
			Extra:      map[string]json.RawMessage{"organization": json.RawMessage(`"green-harbor"`)},
		}
		if !reflect.DeepEqual(*inv, want) {
			t.Errorf("invitation =\n%+v\nwant\n%+v", *inv, want)
		}
	}
}

func TestInvitationsSendAndStatus(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	ctx := context.Background()
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/invitations/", Body: `{"email":"ben@example.com","auth_group":3}`}, 201,
		`{"id":"`+orgUUID+`","email":"ben@example.com","auth_group":3}`)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/invitations/" + orgUUID + "/"}, 200, sdktest.Fixture(t, "invitation_status.json"))

	sent, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: "ben@example.com", AuthGroup: 3})
	if err != nil {
		t.Fatal(err)
	}
	if *sent != (invitations.EmailInvitation{ID: orgUUID, Email: "ben@example.com", AuthGroup: 3}) {
		t.Errorf("sent = %+v", sent)
	}
	st, err := c.Invitations.Status(ctx, sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := invitations.EmailStatus{
		ID: orgUUID, Email: "ben@example.com",
		Company:     &invitations.Company{ID: 3, Name: "Green Harbor", Type: "trial", CreditsUsed: "0", Flags: []invitations.Flag{}},
		AuthGroupID: "3", IsActive: "True", IsMFAEnabled: "false",
	}
	if !reflect.DeepEqual(*st, want) {
		t.Errorf("status =\n%+v\nwant\n%+v", *st, want)
	}
}

func TestInvitationsStatusKeepsAnUnforeseenFlag(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/invitations/" + orgUUID + "/"}, 200, `{"id":"`+orgUUID+`","is_active":"pending","is_mfa_enabled":true}`)
	st, err := c.Invitations.Status(context.Background(), orgUUID)
	if err != nil {
		t.Fatal(err)
	}
	if active, ok := st.IsActive.Bool(); st.IsActive != "pending" || active || ok {
		t.Errorf("IsActive = %q, Bool() = %v, %v; want the text kept and not read as a boolean", st.IsActive, active, ok)
	}
	if mfa, ok := st.IsMFAEnabled.Bool(); !mfa || !ok {
		t.Errorf("IsMFAEnabled = %q, Bool() = %v, %v", st.IsMFAEnabled, mfa, ok)
	}
}

func TestInvitationsOrganizationFlow(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	ctx := context.Background()
	path := "/api/accounts/invite/" + inviteUUID + "/"
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/invite/", Query: url.Values{"page": {"2"}, "page_size": {"1"}}}, 200,
		`{"count":2,"next":null,"previous":"https://api.test/api/accounts/invite/?page_size=1","results":[`+inviteJSON+`]}`)
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/invite/", Body: `{"invitee_identifier":"ben@example.com","role":"REVIEWER"}`}, 201, inviteJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: path}, 200, inviteJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: path}, 200, inviteJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "DELETE", Path: path}, 204, ``)

	page, err := c.Invitations.List(ctx, &invitations.ListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(2), PageSize: accounts.Ptr(1)}})
	if err != nil {
		t.Fatal(err)
	}
	if *page.Count != 2 || len(page.Results) != 1 {
		t.Fatalf("page = %+v", page)
	}
	checkInvite(t)(&page.Results[0], nil)
	checkInvite(t)(c.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "ben@example.com", Role: "REVIEWER"}))
	checkInvite(t)(c.Invitations.Get(ctx, inviteUUID))
	checkInvite(t)(c.Invitations.Resend(ctx, inviteUUID))
	if err := c.Invitations.Revoke(ctx, inviteUUID); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 5 {
		t.Errorf("%d calls", n)
	}
}

func TestInvitationsAllFollowsPages(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	// All asks for large pages; this server serves one invitation a page.
	mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/invite/", "page_size=1000", httpmock.NewStringResponder(200,
		`{"count":2,"next":"https://api.test/api/accounts/invite/?page=2&page_size=1000","previous":null,"results":[`+inviteJSON+`]}`))
	mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/invite/", "page=2&page_size=1000", httpmock.NewStringResponder(200,
		`{"count":2,"next":null,"previous":"https://api.test/api/accounts/invite/","results":[`+strings.Replace(inviteJSON, "ben@", "bo@", 1)+`]}`))
	got, err := accounts.Collect(c.Invitations.All(context.Background(), nil))
	if err != nil || len(got) != 2 {
		t.Fatalf("got %d, err %v", len(got), err)
	}
}

func TestInvitationsSendSurfacesTheServersRule(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/invitations/", Body: `{"email":"boss@example.com","auth_group":1}`}, 400,
		`{"auth_group":["Owners cannot be invited."]}`)
	_, err := c.Invitations.Send(context.Background(), &invitations.SendRequest{Email: "boss@example.com", AuthGroup: 1})
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.FieldErrors["auth_group"][0] != "Owners cannot be invited." {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "Owners cannot be invited.") {
		t.Errorf("the message does not carry the server's words: %v", err)
	}
}

func TestInvitationsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		fields string
		call   func(c *accounts.Client) error
	}{
		{"nil send", "request", func(c *accounts.Client) error {
			_, err := c.Invitations.Send(ctx, nil)
			return err
		}},
		{"bad email and group", "email auth_group", func(c *accounts.Client) error {
			_, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: "ben at example.com"})
			return err
		}},
		{"email too long", "email", func(c *accounts.Client) error {
			_, err := c.Invitations.Send(ctx, &invitations.SendRequest{Email: strings.Repeat("b", 1020) + "@x.io", AuthGroup: 3})
			return err
		}},
		{"status traversal", "id", func(c *accounts.Client) error {
			_, err := c.Invitations.Status(ctx, "..")
			return err
		}},
		{"empty identifier", "invitee_identifier", func(c *accounts.Client) error {
			_, err := c.Invitations.Create(ctx, &invitations.CreateRequest{Role: "ADMIN"})
			return err
		}},
		{"nil create", "request", func(c *accounts.Client) error {
			_, err := c.Invitations.Create(ctx, nil)
			return err
		}},
		{"get bad uuid", "uuid", func(c *accounts.Client) error {
			_, err := c.Invitations.Get(ctx, "a/b")
			return err
		}},
		{"resend bad uuid", "uuid", func(c *accounts.Client) error {
			_, err := c.Invitations.Resend(ctx, "x")
			return err
		}},
		{"revoke bad uuid", "uuid", func(c *accounts.Client) error { return c.Invitations.Revoke(ctx, "") }},
		{"page zero", "page", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Invitations.All(ctx, &invitations.ListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(0)}}))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { sdktest.CheckRefused(t, tc.fields, tc.call) })
	}
}
