package workspaces

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzListOptionsQuery builds workspace list options from fuzzed strings with
// the typed builders and encodes them exactly as the service does. Options the
// SDK documents as refused must be refused; any other must encode to a query
// that parses back to the values given, with each "__in" list as one
// comma-joined value.
func FuzzListOptionsQuery(f *testing.F) {
	f.Add("green", uint8(0b11), "", "NL", "BE", "harbor", "-created_at", "created_at__gte", "2024-01-01")
	f.Add("", uint8(0), "", "NL", "BE", "", "name", "", "x")
	f.Add("a&b=c#d", uint8(0), "Active", "N,L", "BE", "50%+off", "--name", "name__icontains", "dup")
	f.Add("../x", uint8(0b111111), "stakeholder", "%2e%2e", "é", "\x00", "-", "limit", "-1")
	f.Add("ü\u202e", uint8(1), "", "", "BE", "a b", "name,id", "search", "y")
	f.Add(strings.Repeat("x", 300), uint8(0b100000), "archived", "NL", "\xff", "?", "id", "a;b", "c;d")
	f.Fuzz(func(t *testing.T, name string, typeMask uint8, extraType, c1, c2, search, order, lkName, lkValue string) {
		var types []WorkspaceType
		for i, ty := range Types() {
			if typeMask&(1<<i) != 0 {
				types = append(types, ty)
			}
		}
		if extraType != "" {
			types = append(types, WorkspaceType(extraType))
		}
		opts := Where(
			Name.IContains(name),
			Type.In(types...),
			Country.In(c1, c2),
			Search(search),
			OrderBy(Order(order), FieldName.Asc()),
			Lookup(lkName, lkValue),
		)

		want := url.Values{}
		set := func(k, v string) {
			if v != "" {
				want.Set(k, v)
			}
		}
		set("name__icontains", name)
		joined := make([]string, len(types))
		for i, ty := range types {
			joined[i] = string(ty)
		}
		set("type__in", strings.Join(joined, ","))
		set("country__in", c1+","+c2)
		set("search", search)
		set("ordering", order+",name")
		// Text the server refuses (NUL) or reads as other text (not UTF-8),
		// in any string sent.
		badText := func(ss ...string) bool {
			for _, s := range ss {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					return true
				}
			}
			return false
		}
		refused := extraType != "" && !WorkspaceType(extraType).Known() ||
			c1 == "" || c2 == "" || strings.Contains(c1+c2, ",") ||
			order == "" || order == "-" || strings.HasPrefix(order, "--") || strings.Contains(order, ",") ||
			strings.TrimPrefix(order, "-") == "name" || // the ordering names "name" twice
			badText(name, c1, c2, search, order, lkName, lkValue) ||
			// a lookup may not name a typed parameter, even with "__exact"
			lkName == "" || typedParams[lkName] || typedParams[strings.TrimSuffix(lkName, "__exact")] || otherPaging[strings.TrimSuffix(lkName, "__exact")]
		want.Add(lkName, lkValue)

		spec := workspaceList.Spec(nil, opts, nil)
		if refused {
			if spec.Err == nil {
				t.Fatalf("options accepted, want refused: %+v", opts)
			}
			return
		}
		if spec.Err != nil {
			t.Fatalf("options refused: %v", spec.Err)
		}
		raw := spec.Query.Encode()
		got, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatalf("query %q does not parse: %v", raw, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("query %q parses to %q, want %q", raw, got, want)
		}
	})
}
