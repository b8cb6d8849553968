package accounts_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/countries"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/users"
	"github.com/coolset-go/sdk/workspaces"
)

// formatFields are checked against a format (a UUID, a known workspace type)
// that refuses a NUL character with its own reason.
var formatFields = map[string]bool{"uuid": true, "type": true, "type__in": true, "type__exclude": true}

// Every string the SDK sends, in a body or a query, is refused before sending
// when it holds a NUL character (Django refuses it in every text field and
// filter) or bytes that are not UTF-8 (they would reach the server as other
// text). Each field of each request and options type is found by reflection,
// so a field added later is covered too; it is spoiled in an otherwise valid
// value, and the refusal must name that field and no other.
func TestTextTheServerRefusesIsRefusedInEveryStringField(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		base any // a valid value, a pointer to a struct
		call func(c *accounts.Client, v any) error
	}{
		{&workspaces.ListOptions{}, func(c *accounts.Client, v any) error {
			_, err := c.Workspaces.List(ctx, v.(*workspaces.ListOptions))
			return err
		}},
		{&users.ListOptions{}, func(c *accounts.Client, v any) error {
			_, err := c.Users.List(ctx, v.(*users.ListOptions))
			return err
		}},
		{&users.CreateRequest{Email: "ana@example.com", FirstName: "Ana"}, func(c *accounts.Client, v any) error {
			_, err := c.Users.Create(ctx, v.(*users.CreateRequest))
			return err
		}},
		{&users.UpdateRequest{Email: "ana@example.com", FirstName: "Ana"}, func(c *accounts.Client, v any) error {
			_, err := c.Users.Update(ctx, userUUID, v.(*users.UpdateRequest))
			return err
		}},
		{&users.PatchRequest{}, func(c *accounts.Client, v any) error {
			_, err := c.Users.Patch(ctx, userUUID, v.(*users.PatchRequest))
			return err
		}},
		{&invitations.SendRequest{Email: "ben@example.com", AuthGroup: 3}, func(c *accounts.Client, v any) error {
			_, err := c.Invitations.Send(ctx, v.(*invitations.SendRequest))
			return err
		}},
		{&invitations.CreateRequest{InviteeIdentifier: "ben@example.com", Role: "REVIEWER"}, func(c *accounts.Client, v any) error {
			_, err := c.Invitations.Create(ctx, v.(*invitations.CreateRequest))
			return err
		}},
		{&organizations.ListOptions{}, func(c *accounts.Client, v any) error {
			_, err := c.Organizations.List(ctx, v.(*organizations.ListOptions))
			return err
		}},
		{&organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"}, func(c *accounts.Client, v any) error {
			_, err := c.Organizations.Create(ctx, v.(*organizations.CreateRequest))
			return err
		}},
		{&organizations.UpdateRequest{Name: "Green Harbor", Slug: "green-harbor"}, func(c *accounts.Client, v any) error {
			_, err := c.Organizations.Update(ctx, orgUUID, v.(*organizations.UpdateRequest))
			return err
		}},
		{&organizations.PatchRequest{}, func(c *accounts.Client, v any) error {
			_, err := c.Organizations.Patch(ctx, orgUUID, v.(*organizations.PatchRequest))
			return err
		}},
		{&countries.ListOptions{}, func(c *accounts.Client, v any) error {
			_, err := c.Countries.List(ctx, v.(*countries.ListOptions))
			return err
		}},
		{&accounts.AnalystListOptions{}, func(c *accounts.Client, v any) error {
			_, err := c.Analysts.List(ctx, v.(*accounts.AnalystListOptions))
			return err
		}},
	}
	for _, bad := range []string{"\x00", "\xff"} {
		for _, tc := range cases {
			typ := reflect.TypeOf(tc.base).Elem()
			tested := 0
			for i := range typ.NumField() {
				f := typ.Field(i)
				name := paramName(f)
				if name == "" {
					continue
				}
				v := reflect.New(typ)
				v.Elem().Set(reflect.ValueOf(tc.base).Elem())
				if !spoil(v.Elem().Field(i), bad) {
					continue
				}
				tested++
				t.Run(typ.String()+"."+f.Name+"/"+strings.Trim(strconv.Quote(bad), `"`), func(t *testing.T) {
					checkRefused(t, name, func(c *accounts.Client) error {
						err := tc.call(c, v.Interface())
						if err != nil && strings.Count(err.Error(), "accounts: invalid ") != 1 {
							t.Errorf("err = %v, want only %s named", err, name)
						}
						if err != nil && !formatFields[name] && !strings.Contains(err.Error(), "NUL") && !strings.Contains(err.Error(), "UTF-8") {
							t.Errorf("err = %v, want the NUL or UTF-8 rule", err)
						}
						return err
					})
				})
			}
			if tested == 0 {
				t.Errorf("%s: no string field found", typ)
			}
		}
	}
	// Strings given as arguments.
	checkRefused(t, "id", func(c *accounts.Client) error {
		_, err := c.Countries.Get(ctx, "N\x00L")
		return err
	})
	checkRefused(t, "email", func(c *accounts.Client) error {
		_, err := c.LoginURL(ctx, "ana@example.com\x00")
		return err
	})
}

// paramName is the name a struct field is sent under, or "" for a field that
// is not sent.
func paramName(f reflect.StructField) string {
	for _, key := range []string{"url", "json"} {
		if tag, ok := f.Tag.Lookup(key); ok {
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				return ""
			}
			return name
		}
	}
	return ""
}

// spoil appends bad to a string field (or to a pointed-to string, or adds it
// as an item of a list) and reports whether the field holds text.
func spoil(v reflect.Value, bad string) bool {
	switch {
	case v.Kind() == reflect.String:
		v.SetString(v.String() + "x" + bad)
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.String:
		s := reflect.New(v.Type().Elem())
		s.Elem().SetString("x" + bad)
		v.Set(s)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		item := reflect.New(v.Type().Elem()).Elem()
		item.SetString("x" + bad)
		v.Set(reflect.Append(v, item))
	default:
		return false
	}
	return true
}
