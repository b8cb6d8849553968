package accounts_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/workspaces"
	"github.com/jarcoal/httpmock"
)

func TestServerErrorBecomesTypedError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.test/api/accounts/workspaces",
		httpmock.NewStringResponder(400, `{"type":["Select a valid choice. x is not one of the available choices."]}`))
	_, err := c.Workspaces.List(context.Background(), workspaces.Where(workspaces.Search("private search")))
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	if apiErr.StatusCode != 400 || apiErr.Method != "GET" || apiErr.Path != "/api/accounts/workspaces" ||
		len(apiErr.FieldErrors["type"]) != 1 || !errors.Is(err, accounts.ErrInvalid) {
		t.Errorf("error = %#v", apiErr)
	}
	if strings.Contains(err.Error(), "private") || strings.Contains(err.Error(), "search") {
		t.Errorf("error quotes the query: %v", err)
	}
}

func TestNotFoundHTMLPage(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.test/api/accounts/countries/XX", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(404, "<!doctype html>\n<h1>Not Found</h1><p>The requested resource was not found on this server.</p>")
		r.Header.Set("Content-Type", "text/html")
		return r, nil
	})
	_, err := c.Countries.Get(context.Background(), "XX")
	if !errors.Is(err, accounts.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	var apiErr *accounts.Error
	errors.As(err, &apiErr)
	if !strings.Contains(apiErr.Detail, "<h1>Not Found</h1>") {
		t.Errorf("detail = %q", apiErr.Detail)
	}
}

func TestHugeErrorBodyIsReadOnlyUpToBound(t *testing.T) {
	c, mt := newMockClient(t)
	huge := `{"detail":"` + strings.Repeat("x", 8<<20) + `"}`
	mt.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(500, huge))
	_, err := c.UserConfig.Get(context.Background())
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	if len(apiErr.Body) != 1<<20 {
		t.Errorf("kept %d bytes of the body, want the 1 MiB bound", len(apiErr.Body))
	}
	if len(err.Error()) > 1024 {
		t.Errorf("error message of %d bytes", len(err.Error()))
	}
}

func TestSuccessWithUnexpectedJSONIsAnError(t *testing.T) {
	for name, body := range map[string]string{
		"wrong type": `{"config":{},"available_actions":"all","company_type":"x"}`,
		"truncated":  `{"config":{},"available_act`,
		"empty":      ``,
		"html":       `<html>maintenance</html>`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", userConfigURL, httpmock.NewStringResponder(200, body))
			uc, err := c.UserConfig.Get(context.Background())
			if err == nil || uc != nil {
				t.Fatalf("got %+v, %v", uc, err)
			}
			if !strings.Contains(err.Error(), "GET /api/accounts/user-config: decoding the answer") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		field string
		call  func(c *accounts.Client) error
	}{
		{"unknown type", "type", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Type.Exact("archived")))
			return err
		}},
		{"unknown type in list", "type__in", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Type.In(workspaces.TypeActive, "Active")))
			return err
		}},
		{"unknown excluded type", "type__exclude", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Type.Exclude("gone")))
			return err
		}},
		{"comma in country__in", "country__in", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Country.In("NL,BE")))
			return err
		}},
		{"empty country__in item", "country__in", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Country.In("NL", "")))
			return err
		}},
		{"empty ordering", "ordering", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.OrderBy("")))
			return err
		}},
		{"negative limit", "limit", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(-1)}})
			return err
		}},
		{"negative offset in All", "offset", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Workspaces.All(ctx, &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Offset: accounts.Ptr(-5)}}))
			return err
		}},
		{"lookup repeating a field", "name", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Name.Exact("a"), workspaces.Lookup("name", "b")))
			return err
		}},
		{"unnamed lookup", "lookup", func(c *accounts.Client) error {
			_, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Lookup("", "b")))
			return err
		}},
		{"membership limit", "limit", func(c *accounts.Client) error {
			_, err := c.Workspaces.ListMemberships(ctx, &workspaces.MembershipListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(-2)}})
			return err
		}},
		{"company id", "company_id", func(c *accounts.Client) error {
			_, err := c.Workspaces.Switch(ctx, 0)
			return err
		}},
		{"country id", "id", func(c *accounts.Client) error {
			_, err := c.Countries.Get(ctx, "")
			return err
		}},
		{"country limit", "limit", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Countries.All(ctx, &countries.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(-1)}}))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			err := tc.call(c)
			var inErr *accounts.InputError
			if !errors.As(err, &inErr) || inErr.Field != tc.field || !errors.Is(err, accounts.ErrInvalid) {
				t.Fatalf("err = %v, want an InputError on %s", err, tc.field)
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests sent for refused input", n)
			}
		})
	}
}

func TestSeveralBadFieldsAreAllNamed(t *testing.T) {
	c, _ := newMockClient(t)
	_, err := c.Workspaces.List(context.Background(), &workspaces.ListOptions{Type: "x", CountryIn: []string{"a,b"}, LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(-1)}})
	for _, field := range []string{"invalid type:", "invalid limit:", "invalid country__in:"} {
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("err = %v, want it to name %q", err, field)
		}
	}
}

func TestMembershipOptionsNameEveryBadField(t *testing.T) {
	checkRefused(t, "limit offset", func(c *accounts.Client) error {
		_, err := c.Workspaces.ListMemberships(context.Background(), &workspaces.MembershipListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(-1), Offset: accounts.Ptr(-1)}})
		return err
	})
}

func TestInputErrorsQuoteAShortEscapedPrefix(t *testing.T) {
	long := "\u202e" + strings.Repeat("x", 100000)
	for _, opts := range []*workspaces.ListOptions{
		workspaces.Where(workspaces.Type.Exact(workspaces.WorkspaceType(long))),
		workspaces.Where(workspaces.OrderBy(workspaces.Order("--" + long))),
	} {
		c, mt := newMockClient(t)
		_, err := c.Workspaces.List(context.Background(), opts)
		if !errors.Is(err, accounts.ErrInvalid) || mt.GetTotalCallCount() != 0 {
			t.Fatalf("err = %v after %d requests, want an input error before sending", err, mt.GetTotalCallCount())
		}
		msg := err.Error()
		if len(msg) > 300 || strings.ContainsRune(msg, '\u202e') || !strings.Contains(msg, `\u202exxx`) ||
			!strings.Contains(msg, "bytes)") {
			t.Errorf("err quotes the value badly (%d bytes): %.400s", len(msg), msg)
		}
	}
}
