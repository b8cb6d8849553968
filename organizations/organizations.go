// Package organizations manages organizations (accounts/organizations/ and
// accounts/organizations/{uuid}/): list, create, read, update, delete, and
// increment an organization's usage.
//
// Use it through accounts.Client.Organizations:
//
//	org, err := client.Organizations.Create(ctx, &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
//	usage, err := client.Organizations.Increment(ctx, org.UUID, 5)
package organizations

import (
	"context"
	"errors"
	"iter"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/once"
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

// Limits the API puts on an organization's fields.
const (
	MaxNameLength = 200
	MaxSlugLength = 200
)

// Organization is an organization.
type Organization struct {
	// UUID identifies the organization; pass it to Get, Update, Patch, Delete
	// and Increment.
	UUID string `json:"uuid"`
	// Name is the organization's name (1 to 200 characters).
	Name string `json:"name"`
	// Slug is the name in a form suitable for URLs: letters, digits, hyphens
	// and underscores (1 to 200 characters).
	Slug string `json:"slug"`
	// AccountPortalURL is the address of the organization's account portal.
	AccountPortalURL string `json:"account_portal_url"`
	// Recovered is true when Create's answer was lost after the server may
	// have acted, and the SDK found this organization on the server (see
	// Create). It is never sent or read as JSON.
	Recovered bool `json:"-"`
}

// Usage is an organization's usage after an increment.
type Usage struct {
	// Limit is the most usage the organization is allowed.
	Limit int `json:"limit"`
	// Usage is the usage so far.
	Usage int `json:"usage"`
	// Remaining is Limit minus Usage.
	Remaining int `json:"remaining"`
	// Overridden reports whether the limit is overridden for this
	// organization. (The API spells the field "overriden".)
	Overridden bool `json:"overriden"`
}

// ListOptions filters and pages the organization list (GET
// accounts/organizations/). Zero fields are not sent.
type ListOptions struct {
	// ID matches the organization's numeric id.
	ID *int `url:"id,omitempty"`
	// UUID matches the organization's UUID.
	UUID string `url:"uuid,omitempty"`
	// Name matches the exact name.
	Name string `url:"name,omitempty"`
	// Slug matches the exact slug.
	Slug string `url:"slug,omitempty"`
	// Search matches a search term.
	Search string `url:"search,omitempty"`
	// PageNumber pages the list.
	paging.PageNumber
}

// Validate checks the options without sending anything.
func (o *ListOptions) Validate() error {
	if o == nil {
		return nil
	}
	errs := []error{
		validate.Text("name", o.Name), validate.Text("slug", o.Slug), validate.Text("search", o.Search),
		validate.PositiveIfSet("id", o.ID),
		o.PageNumber.Validate(),
	}
	if o.UUID != "" {
		errs = append(errs, validate.UUID("uuid", o.UUID))
	}
	return errors.Join(errs...)
}

// CreateRequest is a new organization (POST accounts/organizations/).
type CreateRequest struct {
	// Name is required, 1 to 200 characters.
	Name string `json:"name"`
	// Slug is required, 1 to 200 characters matching ^[-a-zA-Z0-9_]+$; it
	// must be unique.
	Slug string `json:"slug"`
}

// Validate checks the request without sending anything.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return validate.RequiredRequest("name and slug are required")
	}
	return validateNameSlug(r.Name, r.Slug)
}

// validateNameSlug checks the two fields every full write carries.
func validateNameSlug(name, slug string) error {
	return errors.Join(validate.Length("name", name, 1, MaxNameLength), validate.Slug("slug", slug, MaxSlugLength))
}

// UpdateRequest replaces an organization's fields (PUT accounts/organizations/{uuid}/): both
// are required.
type UpdateRequest struct {
	// Name is required, 1 to 200 characters.
	Name string `json:"name"`
	// Slug is required, 1 to 200 characters matching ^[-a-zA-Z0-9_]+$.
	Slug string `json:"slug"`
}

// Validate checks the request without sending anything.
func (r *UpdateRequest) Validate() error {
	if r == nil {
		return validate.RequiredRequest("name and slug are required")
	}
	return validateNameSlug(r.Name, r.Slug)
}

// PatchRequest changes some of an organization's fields (PATCH accounts/organizations/{uuid}/);
// nil fields are left as they are.
type PatchRequest struct {
	// Name, when set, is 1 to 200 characters.
	Name *string `json:"name,omitempty"`
	// Slug, when set, is 1 to 200 characters matching ^[-a-zA-Z0-9_]+$.
	Slug *string `json:"slug,omitempty"`
}

// Validate checks the request without sending anything.
func (r *PatchRequest) Validate() error {
	if r == nil {
		return nil
	}
	var errs []error
	if r.Name != nil {
		errs = append(errs, validate.Length("name", *r.Name, 1, MaxNameLength))
	}
	if r.Slug != nil {
		errs = append(errs, validate.Slug("slug", *r.Slug, MaxSlugLength))
	}
	return errors.Join(errs...)
}

// Service manages organizations. Get one from accounts.Client.Organizations.
type Service struct {
	c *core.Client
}

// init lets accounts.NewClient build the Service (see internal/services).
func init() {
	services.Register(func(c *core.Client) *Service { return &Service{c: c} })
}

var organizationList = pagination.Endpoint[Organization, *ListOptions]{Path: endpoints.Organizations, Style: pagination.PageNumber}

// List returns one page of organizations (GET accounts/organizations/) with
// the total count and links; opts may be nil.
func (s *Service) List(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) (*Page[Organization], error) {
	return organizationList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every organization that matches opts (GET
// accounts/organizations/), in order; opts may be nil. After the first page
// it fetches the following pages ahead, up to 10 at once unless
// accounts.WithPrefetch says otherwise. Breaking out of the loop stops
// fetching.
func (s *Service) All(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) iter.Seq2[*Organization, error] {
	return organizationList.All(ctx, s.c, opts, reqOpts)
}

// Create creates an organization (POST accounts/organizations/).
//
// When the answer is lost after the request may have reached the server (a 500,
// a proxy's 502 or 504, a connection cut), Create looks the organization up by
// its slug (GET accounts/organizations/, filtered by slug). One with req's slug
// and name is the result, with Recovered set (also when it existed before the
// call: slugs are unique, so the server would have refused to create it
// again, and the state asked for holds); none, and it is created again,
// unless the lost answer was a success the SDK could not read (then the
// error, matching accounts.ErrMayHaveActed, is returned); one with the slug and another name is an *accounts.RecoveryError, as is a
// failed lookup. accounts.WithoutRecovery turns the lookup off.
func (s *Service) Create(ctx context.Context, req *CreateRequest, reqOpts ...RequestOption) (*Organization, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	o, recovered, err := once.Run(ctx, s.c, reqOpts, once.Create[Organization]{
		What:   "organization",
		Lookup: "GET " + endpoints.Organizations + " (filtered by slug)",
		Send: func(ctx context.Context, opts []RequestOption) (*Organization, error) {
			return s.send(ctx, "POST", endpoints.Organizations, req, opts)
		},
		Find: func(ctx context.Context, opts []RequestOption) ([]*Organization, error) {
			return s.withSlug(ctx, req.Slug, opts)
		},
		// The server trims the name, as DRF's CharField does.
		Same: func(o *Organization) bool { return o.Name == validate.Trim(req.Name) },
	})
	if recovered {
		o.Recovered = true
	}
	return o, err
}

// withSlug returns the organizations whose slug is slug (at most one: slugs
// are unique).
func (s *Service) withSlug(ctx context.Context, slug string, opts []RequestOption) ([]*Organization, error) {
	var out []*Organization
	for o, err := range s.All(ctx, &ListOptions{Slug: slug}, opts...) {
		if err != nil {
			return nil, err
		}
		if o.Slug == slug { // a server that ignores the filter lists others too
			out = append(out, o)
		}
	}
	return out, nil
}

// Get returns the organization with the given UUID (GET
// accounts/organizations/{uuid}/).
func (s *Service) Get(ctx context.Context, uuid string, reqOpts ...RequestOption) (*Organization, error) {
	if err := validate.UUID("uuid", uuid); err != nil {
		return nil, err
	}
	return s.send(ctx, "GET", endpoints.Organization(uuid), nil, reqOpts)
}

// Update replaces the name and slug of an organization (PUT
// accounts/organizations/{uuid}/).
func (s *Service) Update(ctx context.Context, uuid string, req *UpdateRequest, reqOpts ...RequestOption) (*Organization, error) {
	if err := errors.Join(validate.UUID("uuid", uuid), req.Validate()); err != nil {
		return nil, err
	}
	return once.Call[Organization](ctx, s.c, "PUT", endpoints.Organization(uuid), req, reqOpts)
}

// Patch changes the fields of req that are set (PATCH
// accounts/organizations/{uuid}/).
func (s *Service) Patch(ctx context.Context, uuid string, req *PatchRequest, reqOpts ...RequestOption) (*Organization, error) {
	if err := errors.Join(validate.UUID("uuid", uuid), req.Validate()); err != nil {
		return nil, err
	}
	if req == nil {
		req = &PatchRequest{}
	}
	return once.Call[Organization](ctx, s.c, "PATCH", endpoints.Organization(uuid), req, reqOpts)
}

// Delete deletes an organization (DELETE accounts/organizations/{uuid}/).
func (s *Service) Delete(ctx context.Context, uuid string, reqOpts ...RequestOption) error {
	if err := validate.UUID("uuid", uuid); err != nil {
		return err
	}
	return once.Do(ctx, s.c, "DELETE", endpoints.Organization(uuid), reqOpts)
}

// Increment adds usage to an organization's usage (POST
// accounts/organizations/{uuid}/increment/) and returns the usage afterwards.
// usage must be positive. The server refuses an increment past the
// organization's limit unless the limit is overridden.
//
// Increment is a POST: a failed attempt is retried only when the server said
// it did nothing (429, or 503 with Retry-After) or the connection failed
// before the request was sent, so usage is never counted twice by a retry.
// After a failure that may have reached the server (a 500, a proxy's 502 or
// 504, a connection cut) it is not repeated, and the error matches
// accounts.ErrMayHaveActed: read the usage before incrementing again.
func (s *Service) Increment(ctx context.Context, uuid string, usage int, reqOpts ...RequestOption) (*Usage, error) {
	if err := errors.Join(validate.UUID("uuid", uuid), validate.Positive("usage", usage)); err != nil {
		return nil, err
	}
	body := struct {
		Usage int `json:"usage"`
	}{usage}
	return once.Call[Usage](ctx, s.c, "POST", endpoints.OrganizationIncrement(uuid), body, reqOpts)
}

// send makes one call that answers an Organization.
func (s *Service) send(ctx context.Context, method, path string, body any, reqOpts []RequestOption) (*Organization, error) {
	return core.Call[Organization](ctx, s.c, method, path, body, reqOpts)
}
