// Package users manages the users of the current workspace or organization: the
// current user's profile (GET accounts/users/me/, and the deprecated GET
// accounts/user/), the user list in both of the API's shapes (GET
// accounts/users/), and creating (POST accounts/users/), reading, updating and
// deleting users by UUID (accounts/users/{uuid}/).
//
// Use it through accounts.Client.Users:
//
//	me, err := client.Users.Me(ctx)
//	for u, err := range client.Users.All(ctx, &users.ListOptions{Search: "green"}) { ... }
package users

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"

	"github.com/coolset-go/sdk/internal/apierror"
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

// Company is the workspace embedded in a user profile; it carries more of the
// company's data than a workspace list item. Its fields (the API's names in brackets):
//
//   - ID int (id): the company's id, the one workspace calls take.
//   - Name string (name): the company's name.
//   - Type workspaces.WorkspaceType (type): the kind of workspace, such as
//     "active" or "trial".
//   - Country *string (country): the country code, such as "NL"; nil when
//     unknown.
//   - CreditsUsed StringOrNumber (credits_used): the credits used, as the API
//     writes them.
//   - NrOfEmployees, NrOfLocations, NrOfTransactions int (nr_of_employees,
//     nr_of_locations, nr_of_transactions): the company's numbers of
//     employees, locations and transactions.
//   - MinimumDateFilter string (minimum_date_filter): the earliest date the
//     company's filters allow (YYYY-MM-DD), or "".
//   - ResultsLimitEarliestYear, ResultsLimitLatestYear string
//     (results_limit_earliest_year, results_limit_latest_year): the start and
//     end of the company's results window (YYYY-MM-DD), or "".
//   - MinTransactionDate, MaxTransactionDate string (min_transaction_date,
//     max_transaction_date): the dates of the first and last transactions, or
//     "".
//   - ChiftConsumerID string (chift_consumer_id): the company's id at the
//     Chift integration, or "".
//   - DefaultCurrency string (default_currency): a currency code, such as
//     "EUR".
//   - DefaultLocale string (default_locale): a locale, such as "nl-NL".
//   - DataRoomConsumerID string (data_room_consumer_id): the company's id at
//     the data room, or "".
//   - Information map[string]any (information): free-form company data; the
//     API gives it no schema.
//   - PulseParams string (pulse_params): the survey parameters, as the API
//     writes them.
//   - Flags []Flag (flags): the feature flags enabled for the company.
type Company = model.Company

// Flag is a feature flag enabled for a company. Its field:
//
//   - Name string (name): the flag's name.
type Flag = model.Flag

// StringOrNumber is a text field the API documents as a string but that may
// arrive as a JSON number (an id, an amount). It holds the text either way
// (null decodes as "") and is sent as a JSON string. Its method Int reads it
// as an integer.
type StringOrNumber = model.StringOrNumber

// Limits the API puts on a user's fields.
const (
	MaxEmailLength = 254
	MaxNameLength  = 150
)

// User is a user. The workspace-centric calls (List against a limit/offset
// server, Me, Current) fill the profile fields; the organization-centric calls
// (Create, Get, Update, Patch, List against a page-based server) fill ID,
// UUID, Email, FirstName, LastName, Groups and IsActive. Fields an answer
// leaves out keep their zero value.
type User struct {
	// ID is the user's numeric id.
	ID int `json:"id"`
	// UUID identifies the user in Get, Update, Patch and Delete.
	UUID string `json:"uuid,omitempty"`
	// Email is the user's email address.
	Email string `json:"email"`
	// FirstName is the user's first name.
	FirstName string `json:"first_name"`
	// LastName is the user's last name.
	LastName string `json:"last_name"`
	// FirebaseUID identifies the user at the sign-in provider.
	FirebaseUID string `json:"firebase_uid,omitempty"`
	// ActiveUserCompanyID is the id of the user's membership of the active
	// workspace; 0 when the answer does not say.
	ActiveUserCompanyID int `json:"active_user_company_id,omitempty"`
	// UserCompany is the user's membership of the active workspace; nil when
	// the answer does not include it.
	UserCompany *UserCompany `json:"user_company,omitempty"`
	// Company is the user's active workspace; nil when the answer does not
	// include it.
	Company *Company `json:"company,omitempty"`
	// JobTitle is the user's job title.
	JobTitle string `json:"job_title,omitempty"`
	// AuthGroup is the user's role in the active workspace with its
	// permissions; nil when the answer does not include it.
	AuthGroup *AuthGroup `json:"auth_group,omitempty"`
	// IsMFAEnrolled reports whether the user has set up multi-factor
	// authentication.
	IsMFAEnrolled bool `json:"is_mfa_enrolled,omitempty"`
	// IsMFARequired reports whether the user must use multi-factor
	// authentication.
	IsMFARequired bool `json:"is_mfa_required,omitempty"`
	// DataRoomConsumerID identifies the user at the data room.
	DataRoomConsumerID string `json:"data_room_consumer_id,omitempty"`
	// PylonEmailHash is the hash the support widget identifies the user by.
	PylonEmailHash string `json:"pylon_email_hash,omitempty"`
	// Groups are the ids of the groups the user belongs to; the user has every
	// permission granted to each of them.
	Groups []int `json:"groups,omitempty"`
	// IsActive reports whether the user is treated as active (deactivate a
	// user instead of deleting it); nil when the answer does not say.
	IsActive *bool `json:"is_active,omitempty"`
	// Recovered is true when Create's answer was lost after the server may
	// have acted, and the SDK found this user on the server (see Create). It
	// is never sent or read as JSON.
	Recovered bool `json:"-"`
}

// HasPermission reports whether the user's auth group grants the permission
// with the given codename, such as "view_user".
func (u *User) HasPermission(codename string) bool {
	if u == nil || u.AuthGroup == nil {
		return false
	}
	for _, p := range u.AuthGroup.Permissions {
		if p.Codename == codename {
			return true
		}
	}
	return false
}

// UserCompany is a user's membership of a workspace.
type UserCompany struct {
	// ID is the membership's id.
	ID int `json:"id"`
	// UserID is the user's id, as the API writes it.
	UserID StringOrNumber `json:"user_id"`
	// CompanyID is the workspace's id, as the API writes it.
	CompanyID StringOrNumber `json:"company_id"`
	// AuthGroupID is the id of the user's auth group, as the API writes it.
	AuthGroupID StringOrNumber `json:"auth_group_id"`
	// DataRoomConsumerID identifies the membership at the data room.
	DataRoomConsumerID string `json:"data_room_consumer_id"`
	// Config is the membership's free-form configuration; the API gives it
	// no schema.
	Config map[string]any `json:"config"`
}

// AuthGroup is a role with its permissions, such as OWNER, ADMIN or MEMBER.
type AuthGroup struct {
	// ID is the group's id, the one invitations.SendRequest.AuthGroup takes.
	ID int `json:"id"`
	// Name is the group's name.
	Name string `json:"name"`
	// Permissions are the permissions the group grants.
	Permissions []Permission `json:"permissions"`
}

// Permission is one permission, named by its codename.
type Permission struct {
	// Codename names the permission, such as "view_user".
	Codename string `json:"codename"`
}

// ListOptions searches and pages the user list (GET accounts/users/). The
// API pages it in one of two ways: LimitOffset (the workspace-centric API,
// which answers a bare list) or PageNumber (the organization-centric API,
// which answers a page with a count and links). Set the pair your server
// takes, never both; with neither, List asks for the server's first page and
// All walks by limit and offset. Nil fields are not sent.
type ListOptions struct {
	// Search matches a search term.
	Search string `url:"search,omitempty"`
	// LimitOffset pages the list by limit and offset.
	paging.LimitOffset
	// PageNumber pages the list by page and page_size.
	paging.PageNumber
}

// Validate checks the options without sending anything.
func (o *ListOptions) Validate() error {
	if o == nil {
		return nil
	}
	errs := []error{
		validate.Text("search", o.Search),
		o.LimitOffset.Validate(), o.PageNumber.Validate(),
	}
	if (o.Limit != nil || o.Offset != nil) && (o.Page != nil || o.PageSize != nil) {
		errs = append(errs, apierror.Invalid("page", "limit/offset and page/page_size paging cannot be mixed"))
	}
	return errors.Join(errs...)
}

// CreateRequest is a new user (POST accounts/users/). Every field is optional; empty
// strings and a nil Groups are not sent.
type CreateRequest struct {
	// Email is a valid address of at most 254 characters, or "" to send none.
	Email string `json:"email,omitempty"`
	// FirstName is at most 150 characters.
	FirstName string `json:"first_name,omitempty"`
	// LastName is at most 150 characters.
	LastName string `json:"last_name,omitempty"`
	// Groups are the ids of the groups the user joins.
	Groups []int `json:"groups,omitempty"`
	// IsActive, when set, says whether the user is active; the server's
	// default (active) applies when nil.
	IsActive *bool `json:"is_active,omitempty"`
}

// Validate checks the request without sending anything.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return validate.RequiredRequest("pass &users.CreateRequest{} to create a user without sending any field")
	}
	var email *string
	if r.Email != "" {
		email = &r.Email // "" is not sent
	}
	return validateFields(email, &r.FirstName, &r.LastName, r.Groups)
}

// UpdateRequest replaces a user's fields (PUT accounts/users/{uuid}/). Every field is
// sent: an empty name clears it, and a nil Groups sends an empty list,
// removing the user from every group. IsActive is sent only when set.
type UpdateRequest struct {
	// Email is a valid address of at most 254 characters; required. The API
	// takes an email only as an address, so an email cannot be cleared and
	// "" is refused before sending; to change other fields and keep the
	// email as it is, use Patch.
	Email string `json:"email"`
	// FirstName is at most 150 characters.
	FirstName string `json:"first_name"`
	// LastName is at most 150 characters.
	LastName string `json:"last_name"`
	// Groups are the ids of every group the user belongs to afterwards.
	Groups []int `json:"groups"`
	// IsActive, when set, says whether the user is active.
	IsActive *bool `json:"is_active,omitempty"`
}

// Validate checks the request without sending anything.
func (r *UpdateRequest) Validate() error {
	if r == nil {
		return validate.RequiredRequest("an update sends every field; use Patch to change some")
	}
	return validateFields(&r.Email, &r.FirstName, &r.LastName, r.Groups)
}

// PatchRequest changes some of a user's fields (PATCH accounts/users/{uuid}/); nil
// fields are left as they are.
type PatchRequest struct {
	// Email, when set, is a valid address of at most 254 characters. The
	// API takes an email only as an address, so it cannot be cleared: a set
	// "" is refused before sending. Leave Email nil to keep the email.
	Email *string `json:"email,omitempty"`
	// FirstName, when set, is at most 150 characters.
	FirstName *string `json:"first_name,omitempty"`
	// LastName, when set, is at most 150 characters.
	LastName *string `json:"last_name,omitempty"`
	// Groups, when set, are the ids of every group the user belongs to
	// afterwards; a pointer to an empty (or nil) slice removes the user from
	// all.
	Groups *[]int `json:"groups,omitempty"`
	// IsActive, when set, says whether the user is active.
	IsActive *bool `json:"is_active,omitempty"`
}

// Validate checks the request without sending anything.
func (r *PatchRequest) Validate() error {
	if r == nil {
		return nil
	}
	var groups []int
	if r.Groups != nil {
		groups = *r.Groups
	}
	return validateFields(r.Email, r.FirstName, r.LastName, groups)
}

// validateFields checks the writable fields; nil pointers are not checked. An
// email that is sent must be an address: openapi.yaml gives the field
// "format: email", which "" does not meet.
func validateFields(email, first, last *string, groups []int) error {
	var errs []error
	switch {
	case email == nil:
	case *email == "":
		errs = append(errs, apierror.Invalid("email", "must be an email address; the API cannot clear an email (leave it out of a Patch to keep it)"))
	default:
		errs = append(errs, validate.Email("email", *email, MaxEmailLength))
	}
	if first != nil {
		errs = append(errs, validate.Length("first_name", *first, 0, MaxNameLength))
	}
	if last != nil {
		errs = append(errs, validate.Length("last_name", *last, 0, MaxNameLength))
	}
	errs = append(errs, validate.PositiveItems("groups", groups))
	return errors.Join(errs...)
}

// Service manages users. Get one from accounts.Client.Users.
type Service struct {
	c *core.Client
}

// init lets accounts.NewClient build the Service (see internal/services).
func init() {
	services.Register(func(c *core.Client) *Service { return &Service{c: c} })
}

// userList pages by limit and offset unless the options set Page or
// PageSize.
var userList = pagination.Endpoint[User, *ListOptions]{Path: endpoints.Users, Style: pagination.LimitOffset}

// List returns one page of the users of the authenticated user's workspace
// (GET accounts/users/); opts may be nil. It needs the view_user permission. A
// limit/offset server answers a bare list, so Count, Next and Previous stay
// empty; a page-based server fills them.
func (s *Service) List(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) (*Page[User], error) {
	return userList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every user that matches opts (GET accounts/users/), page
// after page, in either paging shape: by limit and offset unless opts sets Page or PageSize. opts
// may be nil. Breaking out of the loop stops fetching.
func (s *Service) All(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) iter.Seq2[*User, error] {
	return userList.All(ctx, s.c, opts, reqOpts)
}

// Me returns the authenticated user's profile (GET accounts/users/me/).
func (s *Service) Me(ctx context.Context, reqOpts ...RequestOption) (*User, error) {
	return core.Call[User](ctx, s.c, "GET", endpoints.UsersMe, nil, reqOpts)
}

// Current returns the authenticated user's profile through the API's older path
// (GET accounts/user/).
//
// Deprecated: The API deprecates this call; use Me, which returns the same
// profile.
func (s *Service) Current(ctx context.Context, reqOpts ...RequestOption) (*User, error) {
	return core.Call[User](ctx, s.c, "GET", endpoints.CurrentUserLegacy, nil, reqOpts)
}

// Create creates a user (POST accounts/users/). A nil req is refused as
// field "request".
//
// When the answer is lost after the request may have reached the server (a 500,
// a proxy's 502 or 504, a connection cut), Create looks the user up by email
// (GET accounts/users/, searching for the address, then matching the part
// before the "@" exactly and the domain in any case, as Django's create_user
// stores it in lower case). The one user with that email and every other
// field req sets (as the server stores them) is the result, with Recovered
// set; none with the email, and the user is created again, unless the lost
// answer was a success the SDK could not read (an empty 201, an HTML page):
// then it is not sent again, and the error matches accounts.ErrMayHaveActed; users with the email and other values, several
// with every value sent (emails are not unique), or a failed lookup are an
// *accounts.RecoveryError. A request without an email cannot be looked up:
// its error then matches accounts.ErrMayHaveActed. accounts.WithoutRecovery
// turns the lookup off. A nil req is refused before
// sending (field "request"); &CreateRequest{} sends an empty object.
func (s *Service) Create(ctx context.Context, req *CreateRequest, reqOpts ...RequestOption) (*User, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	cr := once.Create[User]{
		What:   "user",
		Lookup: "GET " + endpoints.Users + " (search by email)",
		Send: func(ctx context.Context, opts []RequestOption) (*User, error) {
			return core.Call[User](ctx, s.c, "POST", endpoints.Users, req, opts)
		},
	}
	if req.Email != "" {
		cr.Find = func(ctx context.Context, opts []RequestOption) ([]*User, error) {
			return s.withEmail(ctx, req.Email, opts)
		}
		cr.Same = func(u *User) bool { return sameUser(u, req) }
	}
	u, recovered, err := once.Run(ctx, s.c, reqOpts, cr)
	if recovered {
		u.Recovered = true
	}
	return u, err
}

// withEmail returns the users whose email is email as the server may store
// it (see sameAddress).
func (s *Service) withEmail(ctx context.Context, email string, opts []RequestOption) ([]*User, error) {
	var out []*User
	for u, err := range s.All(ctx, &ListOptions{Search: email}, opts...) {
		if err != nil {
			return nil, err
		}
		if sameAddress(u.Email, email) {
			out = append(out, u)
		}
	}
	return out, nil
}

// sameAddress reports whether stored is the address sent as the server may
// have stored it: the part before the last "@" exactly, the domain in any
// case. Django's create_user stores the domain in lower case
// (normalize_email); a model serializer keeps the address as given. A
// local part that differs in case is another address.
func sameAddress(stored, sent string) bool {
	i, j := strings.LastIndex(stored, "@"), strings.LastIndex(sent, "@")
	if i < 0 || j < 0 {
		return stored == sent
	}
	return stored[:i] == sent[:j] && strings.EqualFold(stored[i+1:], sent[j+1:])
}

// sameUser reports whether u holds every field req sends, as the server
// stores it (names trimmed, groups as a set), where the answer carries the
// field (a limit/offset server lists profiles without groups or is_active).
func sameUser(u *User, req *CreateRequest) bool {
	return (req.FirstName == "" || u.FirstName == validate.Trim(req.FirstName)) &&
		(req.LastName == "" || u.LastName == validate.Trim(req.LastName)) &&
		(len(req.Groups) == 0 || u.Groups == nil || sameGroups(u.Groups, req.Groups)) &&
		(req.IsActive == nil || u.IsActive == nil || *u.IsActive == *req.IsActive)
}

// sameGroups reports whether a and b hold the same group ids, in any order
// and counting each once (the server keeps a set).
func sameGroups(a, b []int) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// Get returns the user with the given UUID (GET accounts/users/{uuid}/).
func (s *Service) Get(ctx context.Context, uuid string, reqOpts ...RequestOption) (*User, error) {
	if err := validate.UUID("uuid", uuid); err != nil {
		return nil, err
	}
	return core.Call[User](ctx, s.c, "GET", endpoints.User(uuid), nil, reqOpts)
}

// Update replaces a user's fields (PUT accounts/users/{uuid}/); see
// UpdateRequest for what is sent.
func (s *Service) Update(ctx context.Context, uuid string, req *UpdateRequest, reqOpts ...RequestOption) (*User, error) {
	if err := errors.Join(validate.UUID("uuid", uuid), req.Validate()); err != nil {
		return nil, err
	}
	body := *req
	if body.Groups == nil {
		body.Groups = []int{}
	}
	return once.Call[User](ctx, s.c, "PUT", endpoints.User(uuid), &body, reqOpts)
}

// Patch changes the fields of req that are set (PATCH accounts/users/{uuid}/).
// A nil req sends an empty object, changing nothing.
func (s *Service) Patch(ctx context.Context, uuid string, req *PatchRequest, reqOpts ...RequestOption) (*User, error) {
	if err := errors.Join(validate.UUID("uuid", uuid), req.Validate()); err != nil {
		return nil, err
	}
	var body PatchRequest
	if req != nil {
		body = *req
	}
	if body.Groups != nil && *body.Groups == nil {
		// A set pointer to a nil slice means "no groups", as a pointer to an
		// empty one does; it would otherwise be sent as null, which the
		// server refuses.
		body.Groups = &[]int{}
	}
	return once.Call[User](ctx, s.c, "PATCH", endpoints.User(uuid), &body, reqOpts)
}

// Delete deletes a user (DELETE accounts/users/{uuid}/). The API suggests
// deactivating a user (Patch with IsActive false) rather than deleting it.
func (s *Service) Delete(ctx context.Context, uuid string, reqOpts ...RequestOption) error {
	if err := validate.UUID("uuid", uuid); err != nil {
		return err
	}
	return once.Do(ctx, s.c, "DELETE", endpoints.User(uuid), reqOpts)
}
