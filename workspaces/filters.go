package workspaces

import (
	"errors"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/validate"
	"github.com/coolset-go/sdk/paging"
)

// ListOptions filters, orders and pages the workspace list (GET
// accounts/workspaces): one field per query parameter the API documents, and
// the limit and offset of paging.LimitOffset. Zero fields are not sent. Fill
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
	// LimitOffset pages the list: Limit workspaces per page, from Offset.
	paging.LimitOffset
	// Lookups carries any other "field__lookup" parameter by name, for lookups
	// the API gained after this SDK was written, one value each. A name that
	// repeats one of the fields above is refused.
	Lookups url.Values `url:"-"`

	// refused holds what filters applied by Where could not combine; Validate
	// reports it.
	refused []error
}

// Validate checks the options without sending anything: every type must be
// known, list items must be non-empty and free of commas, no text may hold
// what the server refuses (a NUL character, bytes that are not UTF-8), limit
// and offset must not be negative, the ordering must name each field once, and
// a lookup by name must not repeat a field or carry two values. Filters that
// disagreed when applied (see Where) are refused here too. It names each
// refused parameter.
func (o *ListOptions) Validate() error {
	if o == nil {
		return nil
	}
	errs := append([]error(nil), o.refused...)
	errs = append(errs,
		validate.Text("name", o.Name),
		validate.Text("name__icontains", o.NameIContains),
		validate.Text("name__istartswith", o.NameIStartsWith),
		validate.Text("name__iendswith", o.NameIEndsWith),
		typeErr("type", o.Type),
		typeItems("type__in", o.TypeIn),
		typeErr("type__exclude", o.TypeExclude),
		validate.Text("country", o.Country),
		validate.Text("country__icontains", o.CountryIContains),
		validate.Text("country__istartswith", o.CountryIStartsWith),
		validate.Text("country__iendswith", o.CountryIEndsWith),
		validate.ListItems("country__in", o.CountryIn),
		validate.ListItems("ordering", o.Ordering),
		orderingErr(o.Ordering),
		validate.Text("search", o.Search),
		o.LimitOffset.Validate(),
	)
	for _, name := range slices.Sorted(maps.Keys(o.Lookups)) {
		errs = append(errs, lookupErr(name, o.Lookups[name]))
	}
	return errors.Join(errs...)
}

// typeErr refuses a workspace type the API does not know; "" is not sent and
// is accepted.
func typeErr(field string, t WorkspaceType) error {
	if t != "" && !t.Known() {
		return apierror.Invalid(field, "unknown workspace type %s (want one of %s)", apierror.Quote(string(t)), typeList())
	}
	return nil
}

// typeItems refuses an empty or unknown item of a list of types.
func typeItems(field string, ts []WorkspaceType) error {
	var errs []error
	for i, t := range ts {
		if t == "" {
			errs = append(errs, apierror.Invalid(field, "item %d is empty", i))
			continue
		}
		errs = append(errs, typeErr(field, t))
	}
	return errors.Join(errs...)
}

// orderingErr refuses a key that names no field and a field named twice, in
// either direction: the server would read the ordering differently from what
// the list says.
func orderingErr(keys []Order) error {
	seen := map[string]bool{}
	for _, k := range keys {
		f := strings.TrimPrefix(string(k), "-")
		switch {
		case k == "":
			continue // validate.ListItems names it
		case f == "" || strings.HasPrefix(f, "-"):
			return apierror.Invalid("ordering", "%s names no field", apierror.Quote(string(k)))
		case seen[f]:
			return apierror.Invalid("ordering", "names the field %s twice", apierror.Quote(f))
		}
		seen[f] = true
	}
	return nil
}

// lookupErr checks one parameter given by name. A name that repeats a field
// of ListOptions, even spelled with Django's "__exact" (the filter on "name"
// is "name", which a server ignores as "name__exact"), is refused: it would
// bypass the field's checks, or be dropped. Several different values are
// refused: a django-filter filter reads one value per parameter, the last.
func lookupErr(name string, values []string) error {
	switch {
	case name == "":
		return apierror.Invalid("lookup", "a lookup needs a name")
	case validate.Text("lookup", name) != nil:
		return apierror.Invalid("lookup", "the name %s is not text the server accepts (NUL, or not UTF-8)", apierror.Quote(name))
	case typedParams[name] || typedParams[strings.TrimSuffix(name, "__exact")]:
		// A lookup must not bypass the checks of its typed field
		// (Lookup("offset", "-5")).
		return apierror.Invalid(name, "is a field of ListOptions; set it there, not with Lookup")
	case otherPaging[strings.TrimSuffix(name, "__exact")]:
		// The server would ignore it: this list pages by limit and offset.
		return apierror.Invalid(name, "is a page/page_size paging parameter; the workspace list pages by limit and offset")
	}
	for _, v := range values {
		if v != values[0] {
			return apierror.Invalid(name, "has %d different values, and the server reads only one; give one", len(values))
		}
		if err := validate.Text(name, v); err != nil {
			return err
		}
	}
	return nil
}

// typedParams are the query parameters ListOptions has a field for, read from
// its url tags and those of the paging struct it embeds.
var typedParams = func() map[string]bool {
	m := map[string]bool{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("url"), ",")
			switch {
			case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
				add(f.Type)
			case name != "" && name != "-":
				m[name] = true
			}
		}
	}
	add(reflect.TypeFor[ListOptions]())
	return m
}()

// otherPaging are the parameters of the other paging style, which the
// workspace list does not read.
var otherPaging = map[string]bool{"page": true, "page_size": true}

// lookups returns the parameters given by name, for the list's query; the
// Endpoint reads them once, from the options.
func (o *ListOptions) lookups() url.Values { return o.Lookups }

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
//
// Two filters on the same parameter never silently replace each other. Where
// the API can express both at once they are combined: two In lists become one
// list of the values both hold. A filter given the value already set changes
// nothing, and one given an empty value (or an empty list) adds no condition.
// Otherwise the API takes one value for the parameter (an exact name, a type
// to exclude, a search term, an ordering, a lookup by name), and the second
// value is refused: Validate, and so every call given the options, returns an
// *accounts.InputError naming the parameter, and nothing is sent. To exclude
// several types, list the ones to keep with Type.In.
func Where(filters ...Filter) *ListOptions {
	return new(ListOptions).Where(filters...)
}

// Where applies the filters to o in order and returns o. Filters on a
// parameter o already sets combine with it as in the function Where.
func (o *ListOptions) Where(filters ...Filter) *ListOptions {
	for _, f := range filters {
		if f != nil {
			f(o)
		}
	}
	return o
}

// refuse records two filters that disagree, for Validate to report.
func (o *ListOptions) refuse(param string) {
	o.refused = append(o.refused, apierror.Invalid(param,
		"two filters give it different values, and the API takes one; keep one filter"))
}

// one sets a parameter that takes one value: the first value is kept, the same
// value again changes nothing, and a different one is refused.
func one[S ~string](o *ListOptions, param string, dst *S, v S) {
	switch {
	case v == "" || *dst == v:
	case *dst == "":
		*dst = v
	default:
		o.refuse(param)
	}
}

// intersect combines two lists of an "__in" parameter into the values both
// hold, in the order of have: a workspace matches both filters exactly when
// it matches that one list. Lists that share no value could match nothing,
// which the API cannot express (an empty list is no filter), and are refused.
// When a list holds an item check refuses, nothing is combined, so that
// Validate still sees and names the item.
func intersect[S ~string](o *ListOptions, param string, have, add []S, check func(string, []S) error) []S {
	switch {
	case len(add) == 0:
		return have
	case len(have) == 0:
		return add
	case check(param, have) != nil:
		return have
	}
	if err := check(param, add); err != nil {
		o.refused = append(o.refused, err)
		return have
	}
	var both []S
	for _, v := range have {
		if slices.Contains(add, v) {
			both = append(both, v)
		}
	}
	if len(both) == 0 {
		o.refused = append(o.refused, apierror.Invalid(param, "two lists share no value, so no workspace could match"))
		return have
	}
	return both
}

// NameLookups builds filters on the workspace name; use the Name variable.
type NameLookups struct{}

// Name builds filters on the workspace name: Name.IContains("green").
var Name NameLookups

// Exact matches the exact name (case-sensitive).
func (NameLookups) Exact(s string) Filter { return func(o *ListOptions) { one(o, "name", &o.Name, s) } }

// IContains matches names containing s, ignoring case.
func (NameLookups) IContains(s string) Filter {
	return func(o *ListOptions) { one(o, "name__icontains", &o.NameIContains, s) }
}

// IStartsWith matches names starting with s, ignoring case.
func (NameLookups) IStartsWith(s string) Filter {
	return func(o *ListOptions) { one(o, "name__istartswith", &o.NameIStartsWith, s) }
}

// IEndsWith matches names ending with s, ignoring case.
func (NameLookups) IEndsWith(s string) Filter {
	return func(o *ListOptions) { one(o, "name__iendswith", &o.NameIEndsWith, s) }
}

// TypeLookups builds filters on the workspace type; use the Type variable.
type TypeLookups struct{}

// Type builds filters on the workspace type: Type.In(TypeActive, TypeTrial).
var Type TypeLookups

// Exact matches one type.
func (TypeLookups) Exact(t WorkspaceType) Filter {
	return func(o *ListOptions) { one(o, "type", &o.Type, t) }
}

// In matches any of the types. Given twice, it matches the types both lists
// hold.
func (TypeLookups) In(types ...WorkspaceType) Filter {
	types = append([]WorkspaceType(nil), types...)
	return func(o *ListOptions) { o.TypeIn = intersect(o, "type__in", o.TypeIn, types, typeItems) }
}

// Exclude leaves out workspaces of type t. The API takes one type to exclude:
// a second, different one is refused (list the types to keep with In).
func (TypeLookups) Exclude(t WorkspaceType) Filter {
	return func(o *ListOptions) { one(o, "type__exclude", &o.TypeExclude, t) }
}

// CountryLookups builds filters on the workspace's country code; use the
// Country variable.
type CountryLookups struct{}

// Country builds filters on the country code: Country.In("NL", "BE").
var Country CountryLookups

// Exact matches the exact country code.
func (CountryLookups) Exact(code string) Filter {
	return func(o *ListOptions) { one(o, "country", &o.Country, code) }
}

// IContains matches country codes containing s, ignoring case.
func (CountryLookups) IContains(s string) Filter {
	return func(o *ListOptions) { one(o, "country__icontains", &o.CountryIContains, s) }
}

// IStartsWith matches country codes starting with s, ignoring case.
func (CountryLookups) IStartsWith(s string) Filter {
	return func(o *ListOptions) { one(o, "country__istartswith", &o.CountryIStartsWith, s) }
}

// IEndsWith matches country codes ending with s, ignoring case.
func (CountryLookups) IEndsWith(s string) Filter {
	return func(o *ListOptions) { one(o, "country__iendswith", &o.CountryIEndsWith, s) }
}

// In matches any of the country codes. Given twice, it matches the codes both
// lists hold.
func (CountryLookups) In(codes ...string) Filter {
	codes = append([]string(nil), codes...)
	return func(o *ListOptions) {
		o.CountryIn = intersect(o, "country__in", o.CountryIn, codes, validate.ListItems[string])
	}
}

// Search matches a search term. The API takes one term: a second, different
// one is refused.
func Search(term string) Filter { return func(o *ListOptions) { one(o, "search", &o.Search, term) } }

// Lookup sets any other "field__lookup" parameter by name, such as
// Lookup("created_at__gte", "2024-01-01"). A django-filter filter reads one
// value per parameter, so the same name with a different value is refused, as
// is a name that repeats a field of ListOptions. An empty value adds no
// condition (django-filter ignores one): it gives way to any other value for
// the name, and alone is sent empty, so that the name is still checked.
func Lookup(name, value string) Filter {
	return func(o *ListOptions) {
		have := o.Lookups[name]
		switch {
		case value == "" && len(have) > 0:
		case !slices.ContainsFunc(have, func(v string) bool { return v != "" }):
			// Nothing but empty values so far: this one takes their place.
			if o.Lookups == nil {
				o.Lookups = url.Values{}
			}
			o.Lookups.Set(name, value)
		case !slices.Contains(have, value):
			o.refuse(name)
		}
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

// OrderBy sets the ordering, first key first. The ordering is one parameter:
// a second OrderBy with other keys is refused rather than replacing the first
// or being appended to it; give every key in one OrderBy.
func OrderBy(keys ...Order) Filter {
	keys = append([]Order(nil), keys...)
	return func(o *ListOptions) {
		switch {
		case len(keys) == 0 || slices.Equal(o.Ordering, keys):
		case len(o.Ordering) == 0:
			o.Ordering = keys
		default:
			o.refuse("ordering")
		}
	}
}
