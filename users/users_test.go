package users_test

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/coolset-go/sdk/users"
	"github.com/jarcoal/httpmock"
)

const userUUID = sdktest.UserUUID
const userJSON = `{"id":7,"uuid":"` + userUUID + `","email":"ana@example.com","first_name":"Ana","last_name":"Lima","groups":[2,3],"is_active":true}`

// checkUser returns a function that asserts a call's result is the sample
// organization-centric user.
func checkUser(t *testing.T) func(*users.User, error) {
	return func(u *users.User, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		want := users.User{ID: 7, UUID: userUUID, Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Groups: []int{2, 3}, IsActive: accounts.Ptr(true)}
		if !reflect.DeepEqual(*u, want) {
			t.Errorf("user = %+v", u)
		}
	}
}

func TestUsersProfileDecodesEveryField(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/users/me/"}, 200, sdktest.Fixture(t, "user_profile.json"))
	u, err := c.Users.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := users.User{
		ID: 7, Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", FirebaseUID: "fb-7", ActiveUserCompanyID: 12,
		UserCompany: &users.UserCompany{ID: 12, UserID: "7", CompanyID: "3", AuthGroupID: "2", DataRoomConsumerID: "dr-12", Config: map[string]any{"theme": "dark"}},
		Company: &users.Company{
			ID: 3, Name: "Green Harbor", Type: "active", Country: accounts.Ptr("NL"), CreditsUsed: "12.50", NrOfEmployees: 40, NrOfLocations: 2, NrOfTransactions: 1200,
			MinimumDateFilter: "2020-01-01", ResultsLimitEarliestYear: "2019-01-01", ResultsLimitLatestYear: "2025-12-31",
			MinTransactionDate: "2020-02-03", MaxTransactionDate: "2025-06-30", ChiftConsumerID: "ch-3", DefaultCurrency: "EUR",
			DefaultLocale: "nl-NL", DataRoomConsumerID: "dr-3", Information: map[string]any{"sector": "logistics"}, PulseParams: "a=1",
			Flags: []users.Flag{{Name: "beta"}},
		},
		JobTitle:      "Controller",
		AuthGroup:     &users.AuthGroup{ID: 2, Name: "ADMIN", Permissions: []users.Permission{{Codename: "view_user"}, {Codename: "add_invitation"}}},
		IsMFAEnrolled: true, DataRoomConsumerID: "dr-7", PylonEmailHash: "abc123",
	}
	if !reflect.DeepEqual(*u, want) {
		t.Errorf("user =\n%+v\nwant\n%+v", *u, want)
	}
	if u.IsActive != nil {
		t.Error("IsActive set although the profile does not say")
	}
	if !u.HasPermission("view_user") || u.HasPermission("delete_user") {
		t.Error("HasPermission reads the auth group wrongly")
	}
	if n, err := u.UserCompany.UserID.Int(); err != nil || n != 7 {
		t.Errorf("UserID.Int() = %d, %v", n, err)
	}
}

func TestUsersCurrentUsesTheDeprecatedPath(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/user/"}, 200, userJSON)
	checkUser(t)(c.Users.Current(context.Background()))
}

func TestUsersListBareArrayLimitOffset(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/users/", Query: url.Values{"search": {"ana"}, "limit": {"2"}, "offset": {"4"}}}, 200, `[`+userJSON+`,`+userJSON+`]`)
	page, err := c.Users.List(context.Background(), &users.ListOptions{Search: "ana", LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(2), Offset: accounts.Ptr(4)}})
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != nil || page.Next != "" || len(page.Results) != 2 {
		t.Fatalf("page = %+v", page)
	}
	checkUser(t)(&page.Results[1], nil)
}

func TestUsersListEnvelopePageSize(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: "/api/accounts/users/", Query: url.Values{"search": {"ana"}, "page": {"2"}, "page_size": {"1"}}}, 200,
		`{"count":3,"next":"https://api.test/api/accounts/users/?page=3&page_size=1","previous":"https://api.test/api/accounts/users/?page_size=1","results":[`+userJSON+`]}`)
	page, err := c.Users.List(context.Background(), &users.ListOptions{Search: "ana", PageNumber: accounts.PageNumber{Page: accounts.Ptr(2), PageSize: accounts.Ptr(1)}})
	if err != nil {
		t.Fatal(err)
	}
	if page.Count == nil || *page.Count != 3 || page.Next == "" || page.Previous == "" {
		t.Fatalf("page = %+v", page)
	}
	checkUser(t)(&page.Results[0], nil)
}

// otherUserJSON is userJSON with another id: pages of a list hold distinct
// items (a page starting with an earlier page's item is refused as a repeat).
var otherUserJSON = strings.Replace(userJSON, `"id":7`, `"id":8`, 1)

func TestUsersAllBothShapes(t *testing.T) {
	ctx := context.Background()
	t.Run("limit/offset bare arrays", func(t *testing.T) {
		c, mt := sdktest.NewMockClient(t)
		mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/users/", "limit=2&offset=0", httpmock.NewStringResponder(200, `[`+userJSON+`,`+userJSON+`]`))
		mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/users/", "limit=2&offset=2", httpmock.NewStringResponder(200, `[`+otherUserJSON+`]`))
		got, err := accounts.Collect(c.Users.All(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(2), Offset: accounts.Ptr(0)}}))
		if err != nil || len(got) != 3 {
			t.Fatalf("got %d users, err %v", len(got), err)
		}
		if n := mt.GetTotalCallCount(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("page/page_size envelopes", func(t *testing.T) {
		c, mt := sdktest.NewMockClient(t)
		mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/users/", "page_size=2", httpmock.NewStringResponder(200,
			`{"count":3,"next":"https://api.test/api/accounts/users/?page=2&page_size=2","previous":null,"results":[`+userJSON+`,`+userJSON+`]}`))
		mt.RegisterResponderWithQuery("GET", "https://api.test/api/accounts/users/", "page=2&page_size=2", httpmock.NewStringResponder(200,
			`{"count":3,"next":null,"previous":"https://api.test/api/accounts/users/?page_size=2","results":[`+otherUserJSON+`]}`))
		got, err := accounts.Collect(c.Users.All(ctx, &users.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(2)}}))
		if err != nil || len(got) != 3 {
			t.Fatalf("got %d users, err %v", len(got), err)
		}
	})
}

func TestUsersCRUD(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	ctx := context.Background()
	path := "/api/accounts/users/" + userUUID + "/"
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/users/", Body: `{"email":"ana@example.com","first_name":"Ana","groups":[2,3],"is_active":true}`}, 201, userJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "GET", Path: path}, 200, userJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "PUT", Path: path, Body: `{"email":"ana@example.com","first_name":"Ana","last_name":"","groups":[]}`}, 200, userJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "PATCH", Path: path, Body: `{"last_name":"Lima","groups":[],"is_active":false}`}, 200, userJSON)
	sdktest.Expect(t, mt, sdktest.Want{Method: "DELETE", Path: path}, 204, ``)

	checkUser(t)(c.Users.Create(ctx, &users.CreateRequest{Email: "ana@example.com", FirstName: "Ana", Groups: []int{2, 3}, IsActive: accounts.Ptr(true)}))
	checkUser(t)(c.Users.Get(ctx, userUUID))
	checkUser(t)(c.Users.Update(ctx, userUUID, &users.UpdateRequest{Email: "ana@example.com", FirstName: "Ana"}))
	checkUser(t)(c.Users.Patch(ctx, userUUID, &users.PatchRequest{LastName: accounts.Ptr("Lima"), Groups: &[]int{}, IsActive: accounts.Ptr(false)}))
	if err := c.Users.Delete(ctx, userUUID); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 5 {
		t.Errorf("%d calls", n)
	}
}

// The email is optional on create: "" is left out of the body, never sent
// as an empty address, which the API's "format: email" refuses.
func TestUsersCreateWithoutEmailSendsNone(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "POST", Path: "/api/accounts/users/", Body: `{"first_name":"Ana"}`}, 201, userJSON)
	checkUser(t)(c.Users.Create(context.Background(), &users.CreateRequest{FirstName: "Ana"}))
}

func TestUsersPatchNilSendsEmptyObject(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "PATCH", Path: "/api/accounts/users/" + userUUID + "/", Body: `{}`}, 200, userJSON)
	checkUser(t)(c.Users.Patch(context.Background(), userUUID, nil))
}

func TestUsersPatchNilGroupsSendsAnEmptyList(t *testing.T) {
	c, mt := sdktest.NewMockClient(t)
	sdktest.Expect(t, mt, sdktest.Want{Method: "PATCH", Path: "/api/accounts/users/" + userUUID + "/", Body: `{"groups":[]}`}, 200, userJSON)
	var none []int // a filter that kept no group
	req := &users.PatchRequest{Groups: &none}
	checkUser(t)(c.Users.Patch(context.Background(), userUUID, req))
	if *req.Groups != nil {
		t.Error("Patch changed the caller's request")
	}
}

func TestUsersRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("n", 151)
	cases := []struct {
		name   string
		fields string
		call   func(c *accounts.Client) error
	}{
		{"bad email", "email", func(c *accounts.Client) error {
			_, err := c.Users.Create(ctx, &users.CreateRequest{Email: "not-an-email"})
			return err
		}},
		{"email too long", "email", func(c *accounts.Client) error {
			_, err := c.Users.Create(ctx, &users.CreateRequest{Email: strings.Repeat("a", 250) + "@x.io"})
			return err
		}},
		{"names too long", "first_name last_name", func(c *accounts.Client) error {
			_, err := c.Users.Update(ctx, userUUID, &users.UpdateRequest{Email: "ana@example.com", FirstName: long, LastName: long})
			return err
		}},
		{"nil create", "request", func(c *accounts.Client) error {
			_, err := c.Users.Create(ctx, nil)
			return err
		}},
		{"nil update", "request", func(c *accounts.Client) error {
			_, err := c.Users.Update(ctx, userUUID, nil)
			return err
		}},
		{"zero group", "groups", func(c *accounts.Client) error {
			_, err := c.Users.Patch(ctx, userUUID, &users.PatchRequest{Groups: &[]int{3, 0}})
			return err
		}},
		// openapi.yaml gives email "format: email": "" is not an address, and
		// the API has no other way to clear an email.
		{"update empty email", "email", func(c *accounts.Client) error {
			_, err := c.Users.Update(ctx, userUUID, &users.UpdateRequest{FirstName: "Ana"})
			return err
		}},
		{"patch empty email", "email", func(c *accounts.Client) error {
			_, err := c.Users.Patch(ctx, userUUID, &users.PatchRequest{Email: accounts.Ptr("")})
			return err
		}},
		{"patch bad email", "email", func(c *accounts.Client) error {
			_, err := c.Users.Patch(ctx, userUUID, &users.PatchRequest{Email: accounts.Ptr("a@b")})
			return err
		}},
		{"traversal uuid", "uuid", func(c *accounts.Client) error {
			_, err := c.Users.Get(ctx, "../me")
			return err
		}},
		{"delete empty uuid", "uuid", func(c *accounts.Client) error { return c.Users.Delete(ctx, "") }},
		{"mixed paging", "page", func(c *accounts.Client) error {
			_, err := c.Users.List(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(10)}, PageNumber: accounts.PageNumber{Page: accounts.Ptr(1)}})
			return err
		}},
		{"negative offset in All", "offset", func(c *accounts.Client) error {
			_, err := accounts.Collect(c.Users.All(ctx, &users.ListOptions{LimitOffset: accounts.LimitOffset{Offset: accounts.Ptr(-1)}}))
			return err
		}},
		{"page size zero", "page_size", func(c *accounts.Client) error {
			_, err := c.Users.List(ctx, &users.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(0)}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { sdktest.CheckRefused(t, tc.fields, tc.call) })
	}
}
