package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"iter"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/model"
	"github.com/coolset-go/sdk/internal/once"
	"github.com/coolset-go/sdk/internal/pagination"
	"github.com/coolset-go/sdk/internal/validate"
	"github.com/coolset-go/sdk/paging"
)

// Analyst is an analyst of the organization (GET accounts/analysts/ and accounts/analysts/current/). The API
// documents two fields; the members of a list item it does not document are
// kept, undecoded, in Extra.
type Analyst struct {
	// ConsentGiven reports whether the analyst has given consent.
	ConsentGiven bool `json:"consent_given"`
	// UserUUID is the UUID of the analyst's user.
	UserUUID string `json:"user_uuid"`
	// Extra holds the members of the server's answer the SDK does not know;
	// nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known fields and keeps the others in Extra.
func (a *Analyst) UnmarshalJSON(b []byte) error {
	type plain Analyst
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := model.Extra[plain](b)
	if err != nil {
		return err
	}
	*a = Analyst(p)
	a.Extra = extra
	return nil
}

// AnalystListOptions searches and pages the analyst list (GET
// accounts/analysts/). Zero fields are not sent.
type AnalystListOptions struct {
	// Search matches a search term.
	Search string `url:"search,omitempty"`
	// PageNumber pages the list.
	paging.PageNumber
}

// Validate checks the options without sending anything.
func (o *AnalystListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return errors.Join(validate.Text("search", o.Search), o.PageNumber.Validate())
}

// AnalystPatchRequest holds the changes to make to the current analyst (PATCH
// accounts/analysts/current/). Nil fields are left unchanged.
type AnalystPatchRequest struct {
	// ConsentGiven, when set, gives or withdraws the analyst's consent.
	ConsentGiven *bool `json:"consent_given,omitempty"`
}

// AnalystsService lists analysts and reads and changes the current one. Get
// one from Client.Analysts.
type AnalystsService struct {
	c *core.Client
}

var analystList = pagination.Endpoint[Analyst, *AnalystListOptions]{Path: endpoints.Analysts, Style: pagination.PageNumber}

// List returns one page of analysts (GET accounts/analysts/); opts may be nil.
func (s *AnalystsService) List(ctx context.Context, opts *AnalystListOptions, reqOpts ...RequestOption) (*Page[Analyst], error) {
	return analystList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every analyst that matches opts (GET accounts/analysts/),
// page after page; opts may be nil. Breaking out of the loop stops fetching.
func (s *AnalystsService) All(ctx context.Context, opts *AnalystListOptions, reqOpts ...RequestOption) iter.Seq2[*Analyst, error] {
	return analystList.All(ctx, s.c, opts, reqOpts)
}

// Me returns the authenticated user's analyst record (GET
// accounts/analysts/current/). Across the SDK, Me is the authenticated user's
// own record (as users.Service.Me is their profile) and PatchMe changes it.
func (s *AnalystsService) Me(ctx context.Context, reqOpts ...RequestOption) (*Analyst, error) {
	return core.Call[Analyst](ctx, s.c, "GET", endpoints.CurrentAnalyst, nil, reqOpts)
}

// PatchMe changes the authenticated user's analyst record (PATCH
// accounts/analysts/current/) and returns it as it is afterwards. A nil patch
// sends an empty object, changing nothing.
func (s *AnalystsService) PatchMe(ctx context.Context, patch *AnalystPatchRequest, reqOpts ...RequestOption) (*Analyst, error) {
	if patch == nil {
		patch = &AnalystPatchRequest{}
	}
	return once.Call[Analyst](ctx, s.c, "PATCH", endpoints.CurrentAnalyst, patch, reqOpts)
}

// Current returns the authenticated user's analyst record.
//
// Deprecated: use Me, the same call under the SDK's one name for the
// authenticated user's own record.
func (s *AnalystsService) Current(ctx context.Context, reqOpts ...RequestOption) (*Analyst, error) {
	return s.Me(ctx, reqOpts...)
}

// PatchCurrent changes the authenticated user's analyst record.
//
// Deprecated: use PatchMe, the same call.
func (s *AnalystsService) PatchCurrent(ctx context.Context, patch *AnalystPatchRequest, reqOpts ...RequestOption) (*Analyst, error) {
	return s.PatchMe(ctx, patch, reqOpts...)
}

// Group is an auth group, a role with permissions (GET accounts/groups/). The API
// documents no item schema: ID and Name are decoded when present, and every
// other member is kept, undecoded, in Extra. The profile's auth group
// (users.AuthGroup) lists permissions as [{"codename": ...}]; the group list
// may not use that shape, so its permissions stay in Extra rather than fail to
// decode.
type Group struct {
	// ID is the group's id, the one users.CreateRequest.Groups and
	// invitations.SendRequest.AuthGroup take.
	ID int `json:"id"`
	// Name is the group's name.
	Name string `json:"name"`
	// Extra holds the members of the server's answer the SDK does not know;
	// nil when there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known fields and keeps the others in Extra.
func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := model.Extra[plain](b)
	if err != nil {
		return err
	}
	*g = Group(p)
	g.Extra = extra
	return nil
}

// GroupListOptions pages the group list (GET accounts/groups/), which takes a
// page number but no page size. A nil Page is not sent.
type GroupListOptions struct {
	paging.PageOnly
}

// Validate checks the options without sending anything; nil options are
// valid.
func (o *GroupListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return o.PageOnly.Validate()
}

// GroupsService lists auth groups. Get one from Client.Groups.
type GroupsService struct {
	c *core.Client
}

// groupList takes page only: the server decides the page size.
var groupList = pagination.Endpoint[Group, *GroupListOptions]{Path: endpoints.Groups, Style: pagination.PageNumber, ServerSized: true}

// List returns one page of groups (GET accounts/groups/); opts may be nil.
func (s *GroupsService) List(ctx context.Context, opts *GroupListOptions, reqOpts ...RequestOption) (*Page[Group], error) {
	return groupList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every group (GET accounts/groups/), page after page; opts
// may be nil. Breaking out of the loop stops fetching.
func (s *GroupsService) All(ctx context.Context, opts *GroupListOptions, reqOpts ...RequestOption) iter.Seq2[*Group, error] {
	return groupList.All(ctx, s.c, opts, reqOpts)
}
