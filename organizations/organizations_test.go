package organizations_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/coolset-go/sdk/organizations"
)

const orgUUID = sdktest.OrgUUID
const orgJSON = sdktest.OrgJSON

// checkOrg returns a function that asserts a call's result is the sample
// organization, so that it can take a call's two results directly.
func checkOrg(t *testing.T) func(*organizations.Organization, error) {
	return func(o *organizations.Organization, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		want := organizations.Organization{UUID: orgUUID, Name: "Green Harbor", Slug: "green-harbor", AccountPortalURL: "https://portal.example.com/green-harbor"}
		if *o != want {
			t.Errorf("organization = %+v", o)
		}
	}
}

func TestOrganizationsList(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/organizations/", Query: url.Values{
		"id": {"4"}, "uuid": {orgUUID}, "name": {"Green Harbor"}, "slug": {"green-harbor"}, "search": {"green"}, "page": {"2"}, "page_size": {"10"},
	}}, 200, `{"count":11,"next":null,"previous":"https://api.test/api/accounts/organizations/?page_size=10","results":[`+orgJSON+`]}`)
	page, err := c.Organizations.List(context.Background(), &organizations.ListOptions{
		ID: accounts.Ptr(4), UUID: orgUUID, Name: "Green Harbor", Slug: "green-harbor", Search: "green", PageNumber: accounts.PageNumber{Page: accounts.Ptr(2), PageSize: accounts.Ptr(10)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *page.Count != 11 || page.Previous == "" || len(page.Results) != 1 {
		t.Fatalf("page = %+v", page)
	}
	checkOrg(t)(&page.Results[0], nil)
}

func TestOrganizationsCRUD(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	ctx := context.Background()
	path := "/api/accounts/organizations/" + orgUUID + "/"
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/organizations/", Body: `{"name":"Green Harbor","slug":"green-harbor"}`}, 201, orgJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: path}, 200, orgJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "PUT", Path: path, Body: `{"name":"Green Harbor","slug":"green-harbor"}`}, 200, orgJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "PATCH", Path: path, Body: `{"slug":"green-harbor"}`}, 200, orgJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "DELETE", Path: path}, 204, ``)
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: path + "increment/", Body: `{"usage":5}`}, 200, `{"limit":100,"usage":15,"remaining":85,"overriden":true}`)

	checkOrg(t)(c.Organizations.Create(ctx, &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"}))
	checkOrg(t)(c.Organizations.Get(ctx, orgUUID))
	checkOrg(t)(c.Organizations.Update(ctx, orgUUID, &organizations.UpdateRequest{Name: "Green Harbor", Slug: "green-harbor"}))
	checkOrg(t)(c.Organizations.Patch(ctx, orgUUID, &organizations.PatchRequest{Slug: accounts.Ptr("green-harbor")}))
	if err := c.Organizations.Delete(ctx, orgUUID); err != nil {
		t.Fatal(err)
	}
	u, err := c.Organizations.Increment(ctx, orgUUID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if *u != (organizations.Usage{Limit: 100, Usage: 15, Remaining: 85, Overridden: true}) {
		t.Errorf("usage = %+v", u)
	}
	if n := mt.GetTotalCallCount(); n != 6 {
		t.Errorf("%d calls", n)
	}
}

func TestOrganizationsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		fields string
		call   func(c *accounts.Client) error
	}{
		{"empty name", "name", func(c *accounts.Client) error {
			_, err := c.Organizations.Create(ctx, &organizations.CreateRequest{Slug: "x"})
			return err
		}},
		{"long name", "name", func(c *accounts.Client) error {
			_, err := c.Organizations.Create(ctx, &organizations.CreateRequest{Name: strings.Repeat("n", 201), Slug: "x"})
			return err
		}},
		{"bad slug", "slug", func(c *accounts.Client) error {
			_, err := c.Organizations.Create(ctx, &organizations.CreateRequest{Name: "n", Slug: "no spaces"})
			return err
		}},
		{"nil create", "request", func(c *accounts.Client) error {
			_, err := c.Organizations.Create(ctx, nil)
			return err
		}},
		{"nil update", "request", func(c *accounts.Client) error {
			_, err := c.Organizations.Update(ctx, orgUUID, nil)
			return err
		}},
		{"both bad on update", "name slug", func(c *accounts.Client) error {
			_, err := c.Organizations.Update(ctx, orgUUID, &organizations.UpdateRequest{Slug: "a/b"})
			return err
		}},
		{"patch empty slug", "slug", func(c *accounts.Client) error {
			_, err := c.Organizations.Patch(ctx, orgUUID, &organizations.PatchRequest{Slug: accounts.Ptr("")})
			return err
		}},
		{"path traversal uuid", "uuid", func(c *accounts.Client) error {
			_, err := c.Organizations.Get(ctx, "../x")
			return err
		}},
		{"delete bad uuid", "uuid", func(c *accounts.Client) error { return c.Organizations.Delete(ctx, "") }},
		{"increment zero", "usage", func(c *accounts.Client) error {
			_, err := c.Organizations.Increment(ctx, orgUUID, 0)
			return err
		}},
		{"list page 0", "page", func(c *accounts.Client) error {
			_, err := c.Organizations.List(ctx, &organizations.ListOptions{PageNumber: accounts.PageNumber{Page: accounts.Ptr(0)}})
			return err
		}},
		{"list bad uuid", "uuid", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Organizations.All(ctx, &organizations.ListOptions{UUID: "nope"}))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { sdktest.CheckRefused(t, tc.fields, tc.call) })
	}
}
