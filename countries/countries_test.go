package countries_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/internal/sdktest"
)

func TestCountriesList(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/countries",
		Query: url.Values{"search": {"land"}, "name": {"Netherlands"}, "alpha_2": {"NL"}, "alpha_3": {"NLD"},
			"numeric": {"528"}, "limit": {"0"}, "offset": {"20"}}},
		200, sdktest.Fixture(t, "countries.json"))
	page, err := c.Countries.List(context.Background(), &countries.ListOptions{
		Search: "land", Name: "Netherlands", Alpha2: "NL", Alpha3: "NLD", Numeric: "528",
		LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(0), Offset: accounts.Ptr(20)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Results) != 2 || page.Count != nil || page.Next != "" {
		t.Fatalf("page = %+v", page)
	}
	nl := page.Results[0]
	if nl.Name != "Netherlands" || nl.Alpha2 != "NL" || nl.Alpha3 != "NLD" || nl.Numeric != "528" ||
		nl.OfficialName == nil || *nl.OfficialName != "Kingdom of the Netherlands" || nl.Flag == nil || *nl.Flag != "🇳🇱" {
		t.Errorf("country = %+v", nl)
	}
	if page.Results[1].OfficialName != nil {
		t.Errorf("null official_name decoded as %q", *page.Results[1].OfficialName)
	}
}

func TestCountriesListNilOptionsSendsNoQuery(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/countries"}, 200, `[]`)
	page, err := c.Countries.List(context.Background(), nil)
	if err != nil || len(page.Results) != 0 {
		t.Fatalf("page, err = %+v, %v", page, err)
	}
}

func TestCountriesGet(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/countries/NL"}, 200,
		`{"name":"Netherlands","alpha_2":"NL","alpha_3":"NLD","numeric":"528","official_name":null,"flag":null}`)
	got, err := c.Countries.Get(context.Background(), "NL")
	if err != nil {
		t.Fatal(err)
	}
	if got.Alpha3 != "NLD" || got.OfficialName != nil || got.Flag != nil {
		t.Errorf("got %+v", got)
	}
}

func TestCountriesGetEscapesTheID(t *testing.T) {
	for id, path := range map[string]string{
		"..":     "/api/accounts/countries/%2E%2E",
		".":      "/api/accounts/countries/%2E",
		"../x":   "/api/accounts/countries/..%2Fx",
		"a?b#c":  "/api/accounts/countries/a%3Fb%23c",
		"n l":    "/api/accounts/countries/n%20l",
		"%2F":    "/api/accounts/countries/%252F",
		"x/../y": "/api/accounts/countries/x%2F..%2Fy",
	} {
		t.Run(id, func(t *testing.T) {
			c, mt := sdktest.NewMockClient(t)
			sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: path}, 200, `{"name":"x"}`)
			if _, err := c.Countries.Get(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Fatalf("%d calls", n)
			}
		})
	}
}
