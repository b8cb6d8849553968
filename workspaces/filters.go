package workspaces

import (
	"errors"
	"net/url"
	"reflect"
	"strings"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/validate"
)

// ListOptions filters, orders and pages the workspace list (operation 5): one
// field per query parameter the API documents. Zero fields are not sent. Fill
// it directly or with Where and the lookup builders (Name, Type, Country,
// OrderBy, Search, Lookup); both give the same query.
type ListOptions struct {
	// Name matches the exact name (case-sensitive).
	Name string `url:"name,omitempty"`
	// NameIContains matches names containing the text, ignoring case.
	NameIContains string `url:"name__icontains,omitempty"`
	// NameIStartsWith matches names starting with the text, ignoring case.
	NameIStartsWith string `url:"name__istartswith,omitempty"`
	// NameIEndsWith matches names ending with the text, ignoring case.
	NameIEndsWith string `url:"name__iendswith,omitempty"`
	// Type matches one workspace type.
	Type WorkspaceType `url:"type,omitempty"`
	// TypeIn matches any of the types (sent as one comma-joined value).
	TypeIn []WorkspaceType `url:"type__in,omitempty,comma"`
	// TypeExclude leaves out workspaces of this type.
	TypeExclude WorkspaceType `url:"type__exclude,omitempty"`
	// Country matches the exact country code, such as "NL".
	Country string `url:"country,omitempty"`
	// CountryIContains matches country codes containing the text, ignoring case.
	CountryIContains string `url:"country__icontains,omitempty"`
	// CountryIStartsWith matches country codes starting with the text, ignoring case.
	CountryIStartsWith string `url:"country__istartswith,omitempty"`
	// CountryIEndsWith matches country codes ending with the text, ignoring case.
	CountryIEndsWith string `url:"country__iendswith,omitempty"`
	// CountryIn matches any of the country codes (sent as one comma-joined value).
	CountryIn []string `url:"country__in,omitempty,comma"`
	// Ordering sorts the list, first key first; build keys with the Field
	// constants' Asc and Desc.
	Ordering []Order `url:"ordering,omitempty,comma"`
	// Search matches a search term across the workspace's searchable fields.
	Search string `url:"search,omitempty"`
	// Limit is the number of workspaces per page. For List, nil (or 0) lets
	// the server choose; All asks for pages of 100 unless Limit is set
	// above 0.
	Limit *int `url:"limit,omitempty"`
	// Offset is the index of the first workspace to return.
	Offset *int `url:"offset,omitempty"`
	// Lookups carries any other "field__lookup" parameter by name, for lookups
	// the API gained after this SDK was written. A name that repeats one of the
	// fields above is refused.
	Lookups url.Values `url:"-"`
}

// Validate checks the options without sending anything: every type must be
// known, list items must be non-empty and free of commas, limit and offset not
// negative. It names each refused field.
func (o *ListOptions) Validate() error {
	if o == nil {
		return nil
	}
	var errs []error
	checkType := func(field string, t WorkspaceType) {
		if t != "" && !t.Known() {
			errs = append(errs, apierror.Invalid(field, "unknown workspace type %s (want one of %s)", apierror.Quote(string(t)), typeList()))
		}
	}
	checkType("type", o.Type)
	checkType("type__exclude", o.TypeExclude)
	for _, t := range o.TypeIn {
		if t == "" {
			errs = append(errs, apierror.Invalid("type__in", "an item is empty"))
			continue
		}
		checkType("type__in", t)
	}
	errs = append(errs,
		validate.ListItems("country__in", o.CountryIn),
		validate.ListItems("ordering", o.Ordering),
		validate.NonNegative("limit", o.Limit),
		validate.NonNegative("offset", o.Offset),
	)
	for _, ord := range o.Ordering {
		if ord == "-" || strings.HasPrefix(string(ord), "--") {
			errs = append(errs, apierror.Invalid("ordering", "%s names no field", apierror.Quote(string(ord))))
		}
	}
	for name := range o.Lookups {
		if typedParams[name] {
			// A lookup must not bypass the checks of its typed field
			// (Lookup("offset", "-5")).
			errs = append(errs, apierror.Invalid(name, "is a field of ListOptions; set it there, not with Lookup"))
		}
	}
	return errors.Join(errs...)
}

// typedParams are the query parameters ListOptions has a field for, read from
// its url tags.
var typedParams = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[ListOptions]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("url"), ",")
		if name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

func typeList() string {
	var b strings.Builder
	for i, t := range Types() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(t))
	}
	return b.String()
}

// Filter sets one or more parameters of a ListOptions. The lookup builders
// (Name, Type, Country, OrderBy, Search, Lookup) return Filters.
type Filter func(*ListOptions)

// Where returns new ListOptions with the filters applied in order.
func Where(filters ...Filter) *ListOptions {
	return new(ListOptions).Where(filters...)
}

// Where applies the filters to o in order and returns o.
func (o *ListOptions) Where(filters ...Filter) *ListOptions {
	for _, f := range filters {
		if f != nil {
			f(o)
		}
	}
	return o
}

// NameLookups builds filters on the workspace name; use the Name variable.
type NameLookups struct{}

// Name builds filters on the workspace name: Name.IContains("green").
var Name NameLookups

// Exact matches the exact name (case-sensitive).
func (NameLookups) Exact(s string) Filter { return func(o *ListOptions) { o.Name = s } }

// IContains matches names containing s, ignoring case.
func (NameLookups) IContains(s string) Filter { return func(o *ListOptions) { o.NameIContains = s } }

// IStartsWith matches names starting with s, ignoring case.
func (NameLookups) IStartsWith(s string) Filter {
	return func(o *ListOptions) { o.NameIStartsWith = s }
}

// IEndsWith matches names ending with s, ignoring case.
func (NameLookups) IEndsWith(s string) Filter { return func(o *ListOptions) { o.NameIEndsWith = s } }

// TypeLookups builds filters on the workspace type; use the Type variable.
type TypeLookups struct{}

// Type builds filters on the workspace type: Type.In(TypeActive, TypeTrial).
var Type TypeLookups

// Exact matches one type.
func (TypeLookups) Exact(t WorkspaceType) Filter { return func(o *ListOptions) { o.Type = t } }

// In matches any of the types.
func (TypeLookups) In(types ...WorkspaceType) Filter {
	types = append([]WorkspaceType(nil), types...)
	return func(o *ListOptions) { o.TypeIn = types }
}

// Exclude leaves out workspaces of type t.
func (TypeLookups) Exclude(t WorkspaceType) Filter { return func(o *ListOptions) { o.TypeExclude = t } }

// CountryLookups builds filters on the workspace's country code; use the
// Country variable.
type CountryLookups struct{}

// Country builds filters on the country code: Country.In("NL", "BE").
var Country CountryLookups

// Exact matches the exact country code.
func (CountryLookups) Exact(code string) Filter { return func(o *ListOptions) { o.Country = code } }

// IContains matches country codes containing s, ignoring case.
func (CountryLookups) IContains(s string) Filter {
	return func(o *ListOptions) { o.CountryIContains = s }
}

// IStartsWith matches country codes starting with s, ignoring case.
func (CountryLookups) IStartsWith(s string) Filter {
	return func(o *ListOptions) { o.CountryIStartsWith = s }
}

// IEndsWith matches country codes ending with s, ignoring case.
func (CountryLookups) IEndsWith(s string) Filter {
	return func(o *ListOptions) { o.CountryIEndsWith = s }
}

// In matches any of the country codes.
func (CountryLookups) In(codes ...string) Filter {
	codes = append([]string(nil), codes...)
	return func(o *ListOptions) { o.CountryIn = codes }
}

// Search matches a search term.
func Search(term string) Filter { return func(o *ListOptions) { o.Search = term } }

// Lookup sets any other "field__lookup" parameter by name, such as
// Lookup("created_at__gte", "2024-01-01"). Calling it again for the same name
// adds a value.
func Lookup(name, value string) Filter {
	return func(o *ListOptions) {
		if o.Lookups == nil {
			o.Lookups = url.Values{}
		}
		o.Lookups.Add(name, value)
	}
}

// Field is a field the workspace list can be ordered by.
type Field string

// The fields the workspace list can be ordered by.
const (
	FieldID          Field = "id"
	FieldName        Field = "name"
	FieldType        Field = "type"
	FieldCountry     Field = "country"
	FieldMemberCount Field = "member_count"
	FieldCreatedAt   Field = "created_at"
	FieldUpdatedAt   Field = "updated_at"
)

// Order is one ordering key: a field name, with "-" in front for descending.
type Order string

// Asc orders by f, smallest first.
func (f Field) Asc() Order { return Order(f) }

// Desc orders by f, largest first.
func (f Field) Desc() Order { return Order("-" + string(f)) }

// OrderBy sets the ordering, first key first.
func OrderBy(keys ...Order) Filter {
	keys = append([]Order(nil), keys...)
	return func(o *ListOptions) { o.Ordering = keys }
}
