package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/jarcoal/httpmock"
)

func TestAnalysts(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	expect(t, mt, want{method: "GET", path: "/api/accounts/analysts/", query: url.Values{"search": {"ana"}, "page": {"1"}, "page_size": {"5"}}}, 200,
		`{"count":1,"next":null,"previous":null,"results":[{"consent_given":true,"user_uuid":"`+userUUID+`","email":"ana@example.com","seats":2}]}`)
	expect(t, mt, want{method: "GET", path: "/api/accounts/analysts/current/"}, 200, `{"consent_given":false,"user_uuid":"`+userUUID+`"}`)
	expect(t, mt, want{method: "PATCH", path: "/api/accounts/analysts/current/", body: `{"consent_given":true}`}, 200, `{"consent_given":true,"user_uuid":"`+userUUID+`"}`)

	page, err := c.Analysts.List(ctx, &accounts.AnalystListOptions{Search: "ana", PageNumber: accounts.PageNumber{Page: accounts.Ptr(1), PageSize: accounts.Ptr(5)}})
	if err != nil {
		t.Fatal(err)
	}
	wantItem := accounts.Analyst{ConsentGiven: true, UserUUID: userUUID, Extra: map[string]json.RawMessage{
		"email": json.RawMessage(`"ana@example.com"`), "seats": json.RawMessage(`2`),
	}}
	if len(page.Results) != 1 || !reflect.DeepEqual(page.Results[0], wantItem) {
		t.Fatalf("analysts = %+v", page.Results)
	}
	cur, err := c.Analysts.Me(ctx)
	if err != nil || cur.ConsentGiven || cur.UserUUID != userUUID || cur.Extra != nil {
		t.Fatalf("current = %+v, %v", cur, err)
	}
	cur, err = c.Analysts.PatchMe(ctx, &accounts.AnalystPatchRequest{ConsentGiven: accounts.Ptr(true)})
	if err != nil || !cur.ConsentGiven {
		t.Fatalf("patched = %+v, %v", cur, err)
	}
}

// The former names make the same calls.
func TestAnalystsDeprecatedNames(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "GET", path: "/api/accounts/analysts/current/"}, 200, `{"consent_given":false}`)
	expect(t, mt, want{method: "PATCH", path: "/api/accounts/analysts/current/", body: `{"consent_given":true}`}, 200, `{"consent_given":true}`)
	if cur, err := c.Analysts.Me(context.Background()); err != nil || cur.ConsentGiven {
		t.Fatalf("Current = %+v, %v", cur, err)
	}
	if cur, err := c.Analysts.PatchMe(context.Background(), &accounts.AnalystPatchRequest{ConsentGiven: accounts.Ptr(true)}); err != nil || !cur.ConsentGiven {
		t.Fatalf("PatchMe = %+v, %v", cur, err)
	}
}

func TestAnalystsPatchNilSendsEmptyObject(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "PATCH", path: "/api/accounts/analysts/current/", body: `{}`}, 200, `{"consent_given":false}`)
	if _, err := c.Analysts.PatchMe(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestGroupsKeepUnknownMembers(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/groups/", "page=2", httpmock.NewStringResponder(200,
		`{"count":3,"next":"https://api.test/api/accounts/groups/?page=3","previous":"https://api.test/api/accounts/groups/","results":[{"id":2,"name":"ADMIN","permissions":["view_user"]}]}`))
	mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/groups/", "page=3", httpmock.NewStringResponder(200,
		`{"count":3,"next":null,"previous":"https://api.test/api/accounts/groups/?page=2","results":[{"id":3,"name":"MEMBER"}]}`))
	got, err := accounts.Collect(c.Groups.All(context.Background(), &accounts.GroupListOptions{PageOnly: accounts.PageOnly{Page: accounts.Ptr(2)}}))
	if err != nil {
		t.Fatal(err)
	}
	want := []*accounts.Group{
		{ID: 2, Name: "ADMIN", Extra: map[string]json.RawMessage{"permissions": json.RawMessage(`["view_user"]`)}},
		{ID: 3, Name: "MEMBER"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups = %+v", got)
	}
}

func TestGroupsListRefusesPageZero(t *testing.T) {
	checkRefused(t, "page", func(c *accounts.Client) error {
		_, err := c.Groups.List(context.Background(), &accounts.GroupListOptions{PageOnly: accounts.PageOnly{Page: accounts.Ptr(0)}})
		return err
	})
}

func TestAnalystsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		fields string
		call   func(c *accounts.Client) error
	}{
		"page zero": {"page", func(c *accounts.Client) error {
			_, err := c.Analysts.List(ctx, &accounts.AnalystListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(0)}})
			return err
		}},
		"both negative": {"page page_size", func(c *accounts.Client) error {
			_, err := c.Analysts.List(ctx, &accounts.AnalystListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(-1), PageSize: accounts.Ptr(-2)}})
			return err
		}},
		"page size zero in All": {"page_size", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Analysts.All(ctx, &accounts.AnalystListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(0)}}))
			return err
		}},
		"groups page zero in All": {"page", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Groups.All(ctx, &accounts.GroupListOptions{PageOnly: accounts.PageOnly{Page: accounts.Ptr(0)}}))
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { checkRefused(t, tc.fields, tc.call) })
	}
}

func TestLoginURL(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "POST", path: "/api/accounts/login_url/", body: `{"email":"ana@example.com"}`}, 200, `{"params":"login_hint=ana%40example.com"}`)
	p, err := c.LoginURL(context.Background(), "ana@example.com")
	if err != nil || p.Params != "login_hint=ana%40example.com" {
		t.Fatalf("params = %+v, %v", p, err)
	}
	checkRefused(t, "email", func(c *accounts.Client) error {
		_, err := c.LoginURL(context.Background(), "ana@")
		return err
	})
}

func TestPortal(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		location string
		want     accounts.PortalResult
	}{
		{"no redirect", 200, "", accounts.PortalResult{StatusCode: 200}},
		{"absolute redirect elsewhere", 302, "https://billing.example.com/session/abc", accounts.PortalResult{StatusCode: 302, Location: "https://billing.example.com/session/abc"}},
		{"relative redirect", 303, "../portal-session/", accounts.PortalResult{StatusCode: 303, Location: "https://api.test/api/accounts/portal-session/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", "https://api.test/api/accounts/portal/", func(req *http.Request) (*http.Response, error) {
				checkRequest(t, req, want{method: "GET", path: "/api/accounts/portal/"})
				resp := httpmock.NewStringResponse(tc.status, "")
				if tc.location != "" {
					resp.Header.Set("Location", tc.location)
				}
				return resp, nil
			})
			// Nothing is registered for the redirect target: following it would fail the test.
			got, err := c.Portal(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if *got != tc.want {
				t.Errorf("portal = %+v, want %+v", got, tc.want)
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestPortalRedirectWithoutLocationIsAnError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.test/api/accounts/portal/", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(302, "")
		resp.Header.Set("Retry-After", "7")
		resp.Header.Set("X-Request-Id", "r1")
		return resp, nil
	})
	_, err := c.Portal(context.Background())
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 302 || apiErr.Method != "GET" || apiErr.Path != "/api/accounts/portal/" {
		t.Fatalf("err = %v", err)
	}
	// made as every call's *Error: the answer's headers and Retry-After kept
	if apiErr.Header.Get("X-Request-Id") != "r1" || apiErr.RetryAfter != 7*time.Second || apiErr.Detail == "" {
		t.Errorf("error = %+v, want the answer's headers, its Retry-After and a detail", apiErr)
	}
}
