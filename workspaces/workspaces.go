// Package workspaces lists the workspaces (companies) the authenticated user
// belongs to, their memberships, and switches the active workspace.
//
// Use it through accounts.Client.Workspaces. Filters are typed builders for the
// Django lookups the API takes:
//
//	opts := workspaces.Where(
//		workspaces.Name.IContains("green"),
//		workspaces.Type.In(workspaces.TypeActive, workspaces.TypeTrial),
//		workspaces.Country.In("NL", "BE"),
//		workspaces.OrderBy(workspaces.FieldCreatedAt.Desc()),
//	)
//	for ws, err := range client.Workspaces.All(ctx, opts) { ... }
package workspaces

import (
	"context"
	"iter"
	"time"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/model"
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

// WorkspaceType is the kind of a workspace. The API knows the six Type*
// constants; a ListOptions holding any other value is refused before sending.
// Its method Known reports whether a value is one of them. The company that
// users and invitation statuses embed (users.Company) has the same type.
type WorkspaceType = model.WorkspaceType

// The workspace types the API knows.
const (
	TypeActive      = model.TypeActive
	TypeInactive    = model.TypeInactive
	TypeTest        = model.TypeTest
	TypeDemo        = model.TypeDemo
	TypeTrial       = model.TypeTrial
	TypeStakeholder = model.TypeStakeholder
)

// Types returns every workspace type the API knows, in the API's order.
func Types() []WorkspaceType { return model.WorkspaceTypes() }

// Workspace is a workspace (a company) the user belongs to (GET accounts/workspaces).
type Workspace struct {
	// WorkspaceID is the workspace's id under the name the switch call uses.
	WorkspaceID int `json:"workspace_id"`
	// WorkspaceName is the workspace's name.
	WorkspaceName string `json:"workspace_name"`
	// WorkspaceLogo is the URL of the workspace's logo, or "".
	WorkspaceLogo string `json:"workspace_logo"`
	// ID is the company's id.
	ID int `json:"id"`
	// Name is the company's name.
	Name string `json:"name"`
	// Logo is the URL of the company's logo; nil when it has none.
	Logo *string `json:"logo"`
	// Type is the kind of workspace.
	Type WorkspaceType `json:"type"`
	// Country is the company's country code, such as "NL"; nil when unknown.
	Country *string `json:"country"`
	// MemberCount is the number of users in the workspace.
	MemberCount int `json:"member_count"`
	// IsMFAEnabled reports whether the workspace requires multi-factor
	// authentication.
	IsMFAEnabled bool `json:"is_mfa_enabled"`
	// CreatedAt is when the workspace was created.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is when the workspace last changed.
	UpdatedAt time.Time `json:"updated_at"`
}

// Membership is one workspace the current user is a member of, as listed by
// ListMemberships (GET accounts/users/me/workspaces/).
type Membership struct {
	// WorkspaceName is the workspace's name.
	WorkspaceName string `json:"workspace_name"`
	// WorkspaceID is the id to pass to Switch.
	WorkspaceID int `json:"workspace_id"`
	// MemberCount is the number of users in the workspace.
	MemberCount int `json:"member_count"`
	// IsMFAEnabled reports whether the workspace requires multi-factor
	// authentication.
	IsMFAEnabled bool `json:"is_mfa_enabled"`
}

// MembershipListOptions pages the membership list by limit and offset. Nil
// fields are not sent.
type MembershipListOptions struct {
	paging.LimitOffset
}

// Validate checks the options without sending anything; nil options are
// valid.
func (o *MembershipListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return o.LimitOffset.Validate()
}

// SwitchResult is the server's answer to Switch.
type SwitchResult struct {
	// Message is the server's confirmation.
	Message string `json:"message"`
}

// Service lists and switches workspaces. Get one from accounts.Client.Workspaces.
type Service struct {
	c *core.Client
}

// init lets accounts.NewClient build the Service (see internal/services).
func init() {
	services.Register(func(c *core.Client) *Service { return &Service{c: c} })
}

var (
	workspaceList = pagination.Endpoint[Workspace, *ListOptions]{
		Path: endpoints.Workspaces, Style: pagination.LimitOffset, Extra: (*ListOptions).lookups,
	}
	membershipList = pagination.Endpoint[Membership, *MembershipListOptions]{
		Path: endpoints.MyWorkspaces, Style: pagination.LimitOffset, ItemsKey: "workspaces",
	}
)

// List returns one page of the user's workspaces (GET accounts/workspaces),
// with the total count and links; opts may be nil. Options the API would
// misread (an unknown type, a negative limit) are refused with an
// *accounts.InputError before anything is sent.
func (s *Service) List(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) (*Page[Workspace], error) {
	return workspaceList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every workspace that matches opts (GET
// accounts/workspaces), in order; opts may be nil. After the first page it
// fetches the following pages ahead, up to 10 at once unless
// accounts.WithPrefetch says otherwise. Breaking out of the loop stops
// fetching.
func (s *Service) All(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) iter.Seq2[*Workspace, error] {
	return workspaceList.All(ctx, s.c, opts, reqOpts)
}

// ListMemberships returns one page of the workspaces the current user is a
// member of (GET accounts/users/me/workspaces/). The API gives no count or
// links for this list.
func (s *Service) ListMemberships(ctx context.Context, opts *MembershipListOptions, reqOpts ...RequestOption) (*Page[Membership], error) {
	return membershipList.List(ctx, s.c, opts, reqOpts)
}

// AllMemberships iterates over every workspace the current user is a member
// of (GET accounts/users/me/workspaces/), advancing the offset page by page
// until an empty page, or a page shorter than an earlier one, ends the list
// (the answer has no count).
func (s *Service) AllMemberships(ctx context.Context, opts *MembershipListOptions, reqOpts ...RequestOption) iter.Seq2[*Membership, error] {
	return membershipList.All(ctx, s.c, opts, reqOpts)
}

// Switch makes the workspace with the given id the user's active workspace
// (POST accounts/users/me/switch-workspace/). Take the id from
// Workspace.WorkspaceID or Membership.WorkspaceID. Switching again changes
// nothing, so Switch is retried after a failure that may have reached the
// server.
func (s *Service) Switch(ctx context.Context, companyID int, reqOpts ...RequestOption) (*SwitchResult, error) {
	if err := validate.Positive("company_id", companyID); err != nil {
		return nil, err
	}
	body := struct {
		CompanyID int `json:"company_id"`
	}{companyID}
	return once.Call[SwitchResult](ctx, s.c, "POST", endpoints.SwitchWorkspace, body, reqOpts)
}
