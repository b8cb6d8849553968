package workspaces_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/coolset-go/sdk/workspaces"
)

// Two filters on the same parameter are combined where one query can say both,
// and refused, naming the parameter, where it cannot; never does the last one
// silently win.
func TestWorkspaceFiltersCombineOrAreRefused(t *testing.T) {
	ws := workspaces.Type
	cases := []struct {
		name    string
		filters []workspaces.Filter
		query   url.Values // sent when the filters combine
		refused string     // the parameter named when they do not
	}{
		{"two In lists intersect", []workspaces.Filter{
			ws.In(workspaces.TypeActive, workspaces.TypeTrial, workspaces.TypeDemo), ws.In(workspaces.TypeDemo, workspaces.TypeActive),
		}, url.Values{"type__in": {"active,demo"}}, ""},
		{"two country lists intersect", []workspaces.Filter{
			workspaces.Country.In("NL", "BE", "DE"), workspaces.Country.In("DE", "FR", "NL"),
		}, url.Values{"country__in": {"NL,DE"}}, ""},
		{"In and Exclude are two parameters", []workspaces.Filter{
			ws.In(workspaces.TypeActive, workspaces.TypeTest), ws.Exclude(workspaces.TypeTest),
		}, url.Values{"type__in": {"active,test"}, "type__exclude": {"test"}}, ""},
		{"the same value twice", []workspaces.Filter{
			ws.Exclude(workspaces.TypeTest), ws.Exclude(workspaces.TypeTest), workspaces.Search("harbor"), workspaces.Search("harbor"),
			workspaces.Lookup("created_at__gte", "2024-01-01"), workspaces.Lookup("created_at__gte", "2024-01-01"),
			workspaces.OrderBy(workspaces.FieldName.Asc()), workspaces.OrderBy(workspaces.FieldName.Asc()),
		}, url.Values{"type__exclude": {"test"}, "search": {"harbor"}, "created_at__gte": {"2024-01-01"}, "ordering": {"name"}}, ""},
		{"an empty value adds nothing", []workspaces.Filter{
			workspaces.Name.IContains("green"), workspaces.Name.IContains(""), ws.In(workspaces.TypeDemo), ws.In(),
			workspaces.Lookup("created_at__gte", "2024-01-01"), workspaces.Lookup("created_at__gte", ""),
			workspaces.Lookup("updated_at__lte", ""), workspaces.Lookup("updated_at__lte", "2025-01-01"),
		}, url.Values{"name__icontains": {"green"}, "type__in": {"demo"}, "created_at__gte": {"2024-01-01"}, "updated_at__lte": {"2025-01-01"}}, ""},
		{"an empty lookup alone is sent empty (django-filter ignores it) and its name checked", []workspaces.Filter{
			workspaces.Lookup("created_at__gte", ""),
		}, url.Values{"created_at__gte": {""}}, ""},
		{"an empty lookup of a typed parameter", []workspaces.Filter{workspaces.Lookup("limit", "")}, nil, "limit"},

		{"two excluded types", []workspaces.Filter{ws.Exclude(workspaces.TypeTest), ws.Exclude(workspaces.TypeDemo)}, nil, "type__exclude"},
		{"In lists sharing nothing", []workspaces.Filter{ws.In(workspaces.TypeTest), ws.In(workspaces.TypeDemo)}, nil, "type__in"},
		{"country lists sharing nothing", []workspaces.Filter{workspaces.Country.In("NL"), workspaces.Country.In("BE")}, nil, "country__in"},
		{"a bad item in the second list", []workspaces.Filter{workspaces.Country.In("NL", "BE"), workspaces.Country.In("NL", "B,E")}, nil, "country__in"},
		{"a bad item the intersection would drop", []workspaces.Filter{ws.In(workspaces.TypeDemo, "archived"), ws.In(workspaces.TypeDemo)}, nil, "type__in"},
		{"two exact types", []workspaces.Filter{ws.Exact(workspaces.TypeTest), ws.Exact(workspaces.TypeDemo)}, nil, "type"},
		{"two exact names", []workspaces.Filter{workspaces.Name.Exact("a"), workspaces.Name.Exact("b")}, nil, "name"},
		{"two name contains", []workspaces.Filter{workspaces.Name.IContains("a"), workspaces.Name.IContains("b")}, nil, "name__icontains"},
		{"two name prefixes", []workspaces.Filter{workspaces.Name.IStartsWith("a"), workspaces.Name.IStartsWith("b")}, nil, "name__istartswith"},
		{"two name suffixes", []workspaces.Filter{workspaces.Name.IEndsWith("a"), workspaces.Name.IEndsWith("b")}, nil, "name__iendswith"},
		{"two exact countries", []workspaces.Filter{workspaces.Country.Exact("NL"), workspaces.Country.Exact("BE")}, nil, "country"},
		{"two country contains", []workspaces.Filter{workspaces.Country.IContains("N"), workspaces.Country.IContains("B")}, nil, "country__icontains"},
		{"two country prefixes", []workspaces.Filter{workspaces.Country.IStartsWith("N"), workspaces.Country.IStartsWith("B")}, nil, "country__istartswith"},
		{"two country suffixes", []workspaces.Filter{workspaces.Country.IEndsWith("L"), workspaces.Country.IEndsWith("E")}, nil, "country__iendswith"},
		{"two searches", []workspaces.Filter{workspaces.Search("green"), workspaces.Search("harbor")}, nil, "search"},
		{"two orderings", []workspaces.Filter{workspaces.OrderBy(workspaces.FieldName.Asc()), workspaces.OrderBy(workspaces.FieldID.Desc())}, nil, "ordering"},
		{"a field ordered twice", []workspaces.Filter{workspaces.OrderBy(workspaces.FieldName.Asc(), workspaces.FieldName.Desc())}, nil, "ordering"},
		{"a lookup given two values", []workspaces.Filter{workspaces.Lookup("created_at__gte", "2024-01-01"), workspaces.Lookup("created_at__gte", "2025-01-01")}, nil, "created_at__gte"},
		{"a lookup repeating a builder", []workspaces.Filter{ws.In(workspaces.TypeDemo), workspaces.Lookup("type__in", "test")}, nil, "type__in"},
		{"a lookup value holding a NUL", []workspaces.Filter{workspaces.Lookup("created_at__gte", "2024-01-01\x00")}, nil, "created_at__gte"},
		{"a lookup name holding a NUL", []workspaces.Filter{workspaces.Lookup("created_at\x00", "2024-01-01")}, nil, "lookup"},
		{"a lookup of the other paging style", []workspaces.Filter{workspaces.Lookup("page_size", "50")}, nil, "page_size"},
		{"a lookup of the other paging style, with __exact", []workspaces.Filter{workspaces.Lookup("page__exact", "2")}, nil, "page__exact"},
		{"a lookup spelling a field with __exact", []workspaces.Filter{workspaces.Name.Exact("a"), workspaces.Lookup("name__exact", "b")}, nil, "name__exact"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.refused != "" {
				sdktest.CheckRefused(t, tc.refused, func(c *accounts.Client) error {
					_, err := c.Workspaces.List(context.Background(), workspaces.Where(tc.filters...))
					var ie *accounts.InputError
					if !errors.As(err, &ie) {
						t.Errorf("err = %v, want an *InputError", err)
					}
					return err
				})
				return
			}
			c, mt := sdktest.NewMockClient(t)
			sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/workspaces", Query: tc.query}, 200, `{"count":0,"next":null,"previous":null,"results":[]}`)
			if _, err := c.Workspaces.List(context.Background(), workspaces.Where(tc.filters...)); err != nil {
				t.Fatal(err)
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Fatalf("%d requests", n)
			}
		})
	}
}

// A filter applied to options already filled by hand combines with the field
// as with another filter.
func TestWorkspaceFiltersCombineWithFieldsSetByHand(t *testing.T) {
	sdktest.CheckRefused(t, "search", func(c *accounts.Client) error {
		opts := &workspaces.ListOptions{Search: "green"}
		_, err := c.Workspaces.List(context.Background(), opts.Where(workspaces.Search("harbor")))
		return err
	})
	sdktest.CheckRefused(t, "created_at__gte", func(c *accounts.Client) error {
		opts := &workspaces.ListOptions{Lookups: url.Values{"created_at__gte": {"2024-01-01", "2025-01-01"}}}
		_, err := c.Workspaces.List(context.Background(), opts)
		if err != nil && !strings.Contains(err.Error(), "2 different values") {
			t.Errorf("err = %v", err)
		}
		return err
	})
	// An empty value set by hand beside a real one does not let a Lookup
	// replace the real one silently.
	sdktest.CheckRefused(t, "created_at__gte", func(c *accounts.Client) error {
		opts := &workspaces.ListOptions{Lookups: url.Values{"created_at__gte": {"", "2024-01-01"}}}
		_, err := c.Workspaces.List(context.Background(), opts.Where(workspaces.Lookup("created_at__gte", "2023-01-01")))
		return err
	})
}
