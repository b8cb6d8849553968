package workspaces_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/coolset-go/sdk/workspaces"
)

func TestWorkspacesListEveryParameter(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/workspaces", Query: url.Values{
		"name":                 {"Green Harbor BV"},
		"name__icontains":      {"green"},
		"name__istartswith":    {"gr"},
		"name__iendswith":      {"bv"},
		"type":                 {"active"},
		"type__in":             {"active,trial,stakeholder"},
		"type__exclude":        {"test"},
		"country":              {"NL"},
		"country__icontains":   {"l"},
		"country__istartswith": {"n"},
		"country__iendswith":   {"e"},
		"country__in":          {"NL,BE,DE"},
		"ordering":             {"-created_at,name"},
		"search":               {"harbor"},
		"limit":                {"25"},
		"offset":               {"50"},
		"created_at__gte":      {"2024-01-01"},
	}}, 200, sdktest.Fixture(t, "workspaces_page.json"))

	opts := workspaces.Where(
		workspaces.Name.Exact("Green Harbor BV"),
		workspaces.Name.IContains("green"),
		workspaces.Name.IStartsWith("gr"),
		workspaces.Name.IEndsWith("bv"),
		workspaces.Type.Exact(workspaces.TypeActive),
		workspaces.Type.In(workspaces.TypeActive, workspaces.TypeTrial, workspaces.TypeStakeholder),
		workspaces.Type.Exclude(workspaces.TypeTest),
		workspaces.Country.Exact("NL"),
		workspaces.Country.IContains("l"),
		workspaces.Country.IStartsWith("n"),
		workspaces.Country.IEndsWith("e"),
		workspaces.Country.In("NL", "BE", "DE"),
		workspaces.OrderBy(workspaces.FieldCreatedAt.Desc(), workspaces.FieldName.Asc()),
		workspaces.Search("harbor"),
		workspaces.Lookup("created_at__gte", "2024-01-01"),
	)
	opts.Limit, opts.Offset = accounts.Ptr(25), accounts.Ptr(50)
	page, err := c.Workspaces.List(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if page.Count == nil || *page.Count != 2 || page.Next != "" || page.Previous != "" || len(page.Results) != 2 {
		t.Fatalf("page = %+v", page)
	}
	w := page.Results[0]
	logo := "https://cdn.example.com/logos/7.png"
	if w.WorkspaceID != 7 || w.WorkspaceName != "Green Harbor BV" || w.WorkspaceLogo != logo || w.ID != 7 ||
		w.Name != "Green Harbor BV" || w.Logo == nil || *w.Logo != logo || w.Type != workspaces.TypeActive ||
		w.Country == nil || *w.Country != "NL" || w.MemberCount != 12 || !w.IsMFAEnabled {
		t.Errorf("workspace = %+v", w)
	}
	if !w.CreatedAt.Equal(time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC)) ||
		!w.UpdatedAt.Equal(time.Date(2024, 3, 5, 10, 11, 12, 123456000, time.UTC)) {
		t.Errorf("times = %v, %v", w.CreatedAt, w.UpdatedAt)
	}
	s := page.Results[1]
	if s.Logo != nil || s.Country != nil || s.WorkspaceLogo != "" || s.Type != workspaces.TypeStakeholder {
		t.Errorf("nulls decoded wrong: %+v", s)
	}
}

func TestWorkspacesListOptionsStructAndBuildersAgree(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	q := url.Values{"type__in": {"demo,test"}, "country__icontains": {"n"}}
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/workspaces", Query: q}, 200, `{"count":0,"next":null,"previous":null,"results":[]}`)
	ctx := context.Background()
	if _, err := c.Workspaces.List(ctx, &workspaces.ListOptions{TypeIn: []workspaces.WorkspaceType{"demo", "test"}, CountryIContains: "n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workspaces.List(ctx, workspaces.Where(workspaces.Type.In(workspaces.TypeDemo, workspaces.TypeTest), workspaces.Country.IContains("n"))); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d calls", n)
	}
}

func TestWorkspacesListMemberships(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/users/me/workspaces/", Query: url.Values{"limit": {"2"}, "offset": {"4"}}},
		200, sdktest.Fixture(t, "memberships.json"))
	page, err := c.Workspaces.ListMemberships(context.Background(), &workspaces.MembershipListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(2), Offset: accounts.Ptr(4)}})
	if err != nil {
		t.Fatal(err)
	}
	want := []workspaces.Membership{
		{WorkspaceName: "Green Harbor BV", WorkspaceID: 7, MemberCount: 12, IsMFAEnabled: true},
		{WorkspaceName: "Stakeholder Ltd", WorkspaceID: 9},
	}
	if len(page.Results) != 2 || page.Results[0] != want[0] || page.Results[1] != want[1] || page.Count != nil {
		t.Errorf("page = %+v", page)
	}
}

func TestWorkspacesSwitch(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/users/me/switch-workspace/", Body: `{"company_id":42}`},
		200, `{"message":"Switched to workspace Green Harbor BV."}`)
	res, err := c.Workspaces.Switch(context.Background(), 42)
	if err != nil {
		t.Fatal(err)
	}
	if res.Message != "Switched to workspace Green Harbor BV." {
		t.Errorf("message = %q", res.Message)
	}
}
