// Package countries reads the Accounts API's country data: every ISO 3166-1
// country with its name, codes, official name and flag.
//
// Use it through accounts.Client.Countries:
//
//	nl, err := client.Countries.Get(ctx, "NL")
//	for c, err := range client.Countries.All(ctx, &countries.ListOptions{Search: "land"}) { ... }
package countries

import (
	"context"
	"errors"
	"iter"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/internal/requestconfig"
	"github.com/coolset-go/sdk/internal/services"
	"github.com/coolset-go/sdk/internal/validate"
	"github.com/coolset-go/sdk/paging"
)

// RequestOption changes one call; see the constructors in package accounts.
type RequestOption = requestconfig.Option

// Page is one page of a list, the same type as accounts.Page. Its fields:
//
//   - Results []T: the page's items, in the server's order.
//   - Count *int: the total number of items across all pages, when the server
//     said (envelope answers); nil otherwise.
//   - Next string: the absolute URL of the next page, or "" on the last page
//     or when the server gives no links (bare arrays).
//   - Previous string: the absolute URL of the previous page, or "".
type Page[T any] = pagination.Page[T]

// Country is one ISO 3166-1 country.
type Country struct {
	// Name is the country's short name, such as "Netherlands".
	Name string `json:"name"`
	// Alpha2 is the two-letter code, such as "NL".
	Alpha2 string `json:"alpha_2"`
	// Alpha3 is the three-letter code, such as "NLD".
	Alpha3 string `json:"alpha_3"`
	// Numeric is the three-digit code, such as "528".
	Numeric string `json:"numeric"`
	// OfficialName is the official name, such as "Kingdom of the Netherlands";
	// nil when the country has none.
	OfficialName *string `json:"official_name"`
	// Flag is the flag emoji; nil when the server has none.
	Flag *string `json:"flag"`
}

// ListOptions filters and pages the country list (GET accounts/countries). All
// fields are optional; a zero field is not sent.
type ListOptions struct {
	// Search matches countries whose name contains the term, ignoring case.
	Search string `url:"search,omitempty"`
	// Name matches the exact country name.
	Name string `url:"name,omitempty"`
	// Alpha2 matches the two-letter code.
	Alpha2 string `url:"alpha_2,omitempty"`
	// Alpha3 matches the three-letter code.
	Alpha3 string `url:"alpha_3,omitempty"`
	// Numeric matches the numeric code, such as "840".
	Numeric string `url:"numeric,omitempty"`
	// LimitOffset pages the list. For List, a nil Limit lets the server
	// choose (the whole list, for this one).
	paging.LimitOffset
}

// Validate checks the options without sending anything.
func (o *ListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return errors.Join(
		validate.Text("search", o.Search), validate.Text("name", o.Name), validate.Text("alpha_2", o.Alpha2),
		validate.Text("alpha_3", o.Alpha3), validate.Text("numeric", o.Numeric),
		o.LimitOffset.Validate(),
	)
}

// Service reads countries. Get one from accounts.Client.Countries.
type Service struct {
	c *core.Client
}

// init lets accounts.NewClient build the Service (see internal/services).
func init() {
	services.Register(func(c *core.Client) *Service { return &Service{c: c} })
}

var countryList = pagination.Endpoint[Country, *ListOptions]{Path: endpoints.Countries, Style: pagination.LimitOffset}

// List returns one page of countries (GET accounts/countries). The API
// answers a plain array, so the page has no count or links; opts may be nil.
func (s *Service) List(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) (*Page[Country], error) {
	return countryList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every country that matches opts (GET accounts/countries),
// fetching pages as the loop goes; opts may be nil. Breaking out of the loop
// stops fetching.
func (s *Service) All(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) iter.Seq2[*Country, error] {
	return countryList.All(ctx, s.c, opts, reqOpts)
}

// Get returns one country by its identifier, the ISO alpha-2 code such as "NL"
// (GET accounts/countries/{id}).
func (s *Service) Get(ctx context.Context, id string, reqOpts ...RequestOption) (*Country, error) {
	if err := validate.NotEmpty("id", id); err != nil {
		return nil, err
	}
	return core.Call[Country](ctx, s.c, "GET", endpoints.Country(id), nil, reqOpts)
}
