package accounts_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/workspaces"
)

// newServerClient starts an accountstest server and a client for token. The
// client checks every exchange against openapi.yaml (see contract_test.go).
func newServerClient(t *testing.T, token string, opts ...accountstest.Option) (*accounts.Client, *accountstest.Server) {
	t.Helper()
	srv := accountstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return clientFor(t, srv, token), srv
}

func TestE2ECountries(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()
	all, err := accounts.Collect(c.Countries.All(ctx, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := srv.Countries()
	if len(all) != len(want) || len(all) < 249 {
		t.Fatalf("All gave %d countries, server has %d", len(all), len(want))
	}
	for i, got := range all {
		if got.Alpha2 != want[i].Alpha2 || got.Name != want[i].Name {
			t.Fatalf("country %d = %s %s, want %s %s", i, got.Alpha2, got.Name, want[i].Alpha2, want[i].Name)
		}
	}

	page, err := c.Countries.List(ctx, &countries.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(10), Offset: accounts.Ptr(5)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Results) != 10 || page.Results[0].Alpha2 != want[5].Alpha2 || page.Count != nil {
		t.Errorf("page = %d items from %v", len(page.Results), page.Results[0].Alpha2)
	}

	filtered, err := accounts.Collect(c.Countries.All(ctx, &countries.ListOptions{Search: "land", LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(3)}}))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range want {
		if strings.Contains(strings.ToLower(w.Name), "land") {
			n++
		}
	}
	if len(filtered) != n || n < 5 {
		t.Errorf("search=land gave %d countries, want %d", len(filtered), n)
	}

	nl, err := c.Countries.Get(ctx, "NL")
	if err != nil {
		t.Fatal(err)
	}
	if nl.Alpha3 != "NLD" || nl.Numeric != "528" || nl.OfficialName == nil || nl.Flag == nil {
		t.Errorf("NL = %+v", nl)
	}
	for _, id := range []string{"XX", "..", "../workspaces"} {
		if _, err := c.Countries.Get(ctx, id); !errors.Is(err, accounts.ErrNotFound) {
			t.Errorf("Get(%q) err = %v, want not found", id, err)
		}
	}
}

func TestE2EUserConfigAndSwitch(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	ctx := context.Background()

	var stakeholder, active *workspaces.Workspace
	for ws, err := range c.Workspaces.All(ctx, workspaces.Where(workspaces.Type.In(workspaces.TypeStakeholder, workspaces.TypeActive))) {
		if err != nil {
			t.Fatal(err)
		}
		if ws.Type == workspaces.TypeStakeholder && stakeholder == nil {
			stakeholder = ws
		}
		if ws.Type == workspaces.TypeActive && active == nil {
			active = ws
		}
		if stakeholder != nil && active != nil {
			break
		}
	}
	if stakeholder == nil || active == nil {
		t.Fatal("the server has no stakeholder or active workspace")
	}

	res, err := c.Workspaces.Switch(ctx, stakeholder.WorkspaceID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Message, stakeholder.Name) {
		t.Errorf("message = %q", res.Message)
	}
	cfg, err := c.UserConfig.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CompanyType != "stakeholder" || !slices.Contains(cfg.AvailableActions, "sign_stakeholder_agreement") {
		t.Fatalf("after switching to a stakeholder workspace: %+v", cfg)
	}
	cfg, err = c.UserConfig.Patch(ctx, &accounts.UserConfigPatchRequest{SignStakeholderAgreement: accounts.Ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(cfg.AvailableActions, "sign_stakeholder_agreement") {
		t.Errorf("still asked to sign after signing: %v", cfg.AvailableActions)
	}
	again, err := c.UserConfig.Get(ctx)
	if err != nil || slices.Contains(again.AvailableActions, "sign_stakeholder_agreement") {
		t.Errorf("signing did not stick: %+v, %v", again, err)
	}

	if _, err := c.Workspaces.Switch(ctx, active.WorkspaceID); err != nil {
		t.Fatal(err)
	}
	if cfg, err := c.UserConfig.Get(ctx); err != nil || cfg.CompanyType != "active" {
		t.Errorf("after switching to an active workspace: %+v, %v", cfg, err)
	}
	if ws, ok := srv.ActiveWorkspace(accountstest.OwnerToken); !ok || ws.ID != active.ID {
		t.Errorf("server's active workspace = %+v", ws)
	}

	// Not a member: the server refuses the field.
	member, _ := newServerClient(t, accountstest.MemberToken)
	mine, err := accounts.Collect(member.Workspaces.AllMemberships(ctx, nil))
	if err != nil {
		t.Fatal(err)
	}
	other := 0
	for _, ws := range srv.Workspaces() {
		if !slices.ContainsFunc(mine, func(m *workspaces.Membership) bool { return m.WorkspaceID == ws.ID }) {
			other = ws.ID
			break
		}
	}
	_, err = member.Workspaces.Switch(ctx, other)
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.FieldErrors["company_id"]) == 0 {
		t.Errorf("switching to a foreign workspace: %v", err)
	}
}

func TestE2EMemberships(t *testing.T) {
	for _, token := range []string{accountstest.OwnerToken, accountstest.AdminToken, accountstest.MemberToken} {
		c, srv := newServerClient(t, token)
		got, err := accounts.Collect(c.Workspaces.AllMemberships(context.Background(), &workspaces.MembershipListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(7)}}))
		if err != nil {
			t.Fatal(err)
		}
		want := srv.MembershipsOf(token)
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%d memberships, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].WorkspaceID != want[i].ID || got[i].WorkspaceName != want[i].Name {
				t.Fatalf("membership %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	}
}

func TestE2EListPage(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	page, err := c.Workspaces.List(context.Background(), &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(10), Offset: accounts.Ptr(20)}})
	if err != nil {
		t.Fatal(err)
	}
	all := srv.Workspaces()
	if page.Count == nil || *page.Count != len(all) || len(page.Results) != 10 || page.Results[0].ID != all[20].ID {
		t.Fatalf("page: count %v, %d items", page.Count, len(page.Results))
	}
	if !strings.HasPrefix(page.Next, srv.URL()) || !strings.Contains(page.Next, "offset=30") || !strings.Contains(page.Previous, "offset=10") {
		t.Errorf("links: next %q previous %q", page.Next, page.Previous)
	}
	w := page.Results[0]
	if w.WorkspaceID != w.ID || w.WorkspaceName != w.Name || w.CreatedAt.IsZero() || w.UpdatedAt.Before(w.CreatedAt) || !w.Type.Known() {
		t.Errorf("workspace = %+v", w)
	}
}

// TestE2EAllWithFilters checks that All over the server's workspaces yields
// exactly the items each filter selects, each once, in the server's order.
func TestE2EAllWithFilters(t *testing.T) {
	c, srv := newServerClient(t, accountstest.OwnerToken)
	all := srv.Workspaces()
	if len(all) < 1000 {
		t.Fatalf("the server has only %d workspaces", len(all))
	}
	country := func(w accountstest.Workspace) string {
		if w.Country == nil {
			return ""
		}
		return *w.Country
	}
	lower := strings.ToLower
	cases := []struct {
		name  string
		opts  *workspaces.ListOptions
		match func(w accountstest.Workspace) bool
	}{
		{"none", nil, func(accountstest.Workspace) bool { return true }},
		{"type", workspaces.Where(workspaces.Type.Exact(workspaces.TypeTrial)), func(w accountstest.Workspace) bool { return w.Type == "trial" }},
		{"type__in", workspaces.Where(workspaces.Type.In(workspaces.TypeDemo, workspaces.TypeTest)),
			func(w accountstest.Workspace) bool { return w.Type == "demo" || w.Type == "test" }},
		{"type__exclude", workspaces.Where(workspaces.Type.Exclude(workspaces.TypeActive)), func(w accountstest.Workspace) bool { return w.Type != "active" }},
		{"country__in", workspaces.Where(workspaces.Country.In("NL", "BE", "DE")),
			func(w accountstest.Workspace) bool { return slices.Contains([]string{"NL", "BE", "DE"}, country(w)) }},
		{"country", workspaces.Where(workspaces.Country.Exact("FR")), func(w accountstest.Workspace) bool { return country(w) == "FR" }},
		{"country__istartswith", workspaces.Where(workspaces.Country.IStartsWith("n")), func(w accountstest.Workspace) bool { return strings.HasPrefix(country(w), "N") }},
		{"name__icontains", workspaces.Where(workspaces.Name.IContains("GREEN")), func(w accountstest.Workspace) bool { return strings.Contains(lower(w.Name), "green") }},
		{"name__iendswith", workspaces.Where(workspaces.Name.IEndsWith("bv")), func(w accountstest.Workspace) bool { return strings.HasSuffix(lower(w.Name), "bv") }},
		{"combined", workspaces.Where(
			workspaces.Type.In(workspaces.TypeActive, workspaces.TypeTrial),
			workspaces.Country.IContains("e"),
			workspaces.Name.IStartsWith("n"),
		), func(w accountstest.Workspace) bool {
			return (w.Type == "active" || w.Type == "trial") && strings.Contains(lower(country(w)), "e") && strings.HasPrefix(lower(w.Name), "n")
		}},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want []int
			for _, w := range all {
				if tc.match(w) {
					want = append(want, w.ID)
				}
			}
			var got []int
			for ws, err := range c.Workspaces.All(ctx, tc.opts) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ws.ID)
			}
			if len(want) == 0 {
				t.Fatal("the filter selects nothing in the seeded data; choose another")
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %d workspaces, want %d (first difference near %v)", len(got), len(want), firstDiff(got, want))
			}
		})
	}

	// Ordering: descending creation time, ties by id.
	var prev *workspaces.Workspace
	n := 0
	for ws, err := range c.Workspaces.All(ctx, workspaces.Where(workspaces.OrderBy(workspaces.FieldCreatedAt.Desc()))) {
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && ws.CreatedAt.After(prev.CreatedAt) {
			t.Fatalf("workspace %d created after the previous one", ws.ID)
		}
		prev = ws
		n++
	}
	if n != len(all) {
		t.Errorf("ordered walk gave %d workspaces, want %d", n, len(all))
	}
}

func firstDiff(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestE2EServerErrors(t *testing.T) {
	c, _ := newServerClient(t, "not-a-token")
	_, err := c.UserConfig.Get(context.Background())
	if !errors.Is(err, accounts.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	var apiErr *accounts.Error
	errors.As(err, &apiErr)
	if apiErr.Detail == "" || strings.Contains(err.Error(), "not-a-token") {
		t.Errorf("error = %v", err)
	}

	// Django REST framework with SessionAuthentication first refuses a bad
	// token with 403: it still matches ErrUnauthorized, as well as
	// ErrForbidden, while a 403 for a missing permission matches
	// ErrForbidden alone.
	c, _ = newServerClient(t, "not-a-token", accountstest.WithSessionAuthenticationFirst())
	_, err = c.UserConfig.Get(context.Background())
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || !errors.Is(err, accounts.ErrUnauthorized) || !errors.Is(err, accounts.ErrForbidden) {
		t.Errorf("bad token, session authentication first: %v; want a 403 matching ErrUnauthorized and ErrForbidden", err)
	}
	c, _ = newServerClient(t, accountstest.MemberToken, accountstest.WithSessionAuthenticationFirst())
	_, err = c.Users.List(context.Background(), nil)
	if !errors.Is(err, accounts.ErrForbidden) || errors.Is(err, accounts.ErrUnauthorized) {
		t.Errorf("member listing users: %v; want a 403 matching ErrForbidden alone", err)
	}

	// The escape hatch cannot smuggle a value past a typed field's checks: an
	// unknown type is refused before sending, whichever way it is given. (The
	// server's own refusal is tested in accountstest with raw requests.)
	c, srv := newServerClient(t, accountstest.OwnerToken)
	_, err = c.Workspaces.List(context.Background(), workspaces.Where(workspaces.Lookup("type", "archived")))
	var inErr *accounts.InputError
	if !errors.As(err, &inErr) || inErr.Field != "type" || len(srv.Requests()) != 0 {
		t.Errorf("unknown type through the escape hatch: %v, %d requests", err, len(srv.Requests()))
	}
}
