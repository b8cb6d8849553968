// Package invitations invites people to join, in the two ways the API offers.
//
// Email invitations (POST accounts/invitations/ and GET
// accounts/invitations/{id}/, the workspace-centric API) invite an email
// address into the authenticated user's current workspace with an auth group:
// Send them and check their Status. The types of this flow are SendRequest
// (what Send takes), EmailInvitation and EmailStatus.
//
// Organization invitations (accounts/invite/ and accounts/invite/{uuid}/, the
// organization-centric API) invite an identifier into the organization with a
// role: List, All, Create, Get, Resend and Revoke them. Their type is
// Invitation, keyed by UUID.
//
// Use it through accounts.Client.Invitations:
//
//	sent, err := client.Invitations.Send(ctx, &invitations.SendRequest{Email: "ana@example.com", AuthGroup: 3})
//	status, err := client.Invitations.Status(ctx, sent.ID)
//
//	inv, err := client.Invitations.Create(ctx, &invitations.CreateRequest{InviteeIdentifier: "ana@example.com"})
//	inv, err = client.Invitations.Resend(ctx, inv.UUID)
package invitations

import (
	"context"
	"encoding/json"
	"errors"
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

// Company is the workspace an email invitation is for, the same type as
// users.Company. Its fields (the API's names in brackets):
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

// BoolOrString is a flag the API documents as a string. It keeps the
// server's text (a JSON boolean arrives as "true" or "false", null as ""); its
// method Bool reads it as true or false, and says whether the text was one it
// knows.
type BoolOrString = model.BoolOrString

// MaxEmailLength is the longest email address an email invitation takes.
const MaxEmailLength = 1024

// SendRequest invites an email address into the current workspace (POST
// accounts/invitations/). Only OWNER and ADMIN users may invite with the ADMIN auth group, and
// owners cannot be invited; the server enforces both and answers 400 or 403.
type SendRequest struct {
	// Email is the invitee's address, 1 to 1024 characters.
	Email string `json:"email"`
	// AuthGroup is the id of the auth group (role) the invitee gets; see
	// accounts.Client.Groups for the ids.
	AuthGroup int `json:"auth_group"`
}

// Validate checks the request without sending anything.
func (r *SendRequest) Validate() error {
	if r == nil {
		return validate.RequiredRequest("email and auth_group are required")
	}
	return errors.Join(validate.Email("email", r.Email, MaxEmailLength), validate.Positive("auth_group", r.AuthGroup))
}

// EmailInvitation is the server's answer to Send.
type EmailInvitation struct {
	// ID identifies the invitation; pass it to Status.
	ID string `json:"id"`
	// Email is the invitee's address.
	Email string `json:"email"`
	// AuthGroup is the id of the auth group the invitee gets.
	AuthGroup int `json:"auth_group"`
	// Recovered is true when Send's answer was lost after the server may have
	// acted, and the SDK established that the invitation is pending: sent
	// again, the server refused it as already pending. ID is then empty (the
	// API gave none); Email and AuthGroup are what was sent.
	Recovered bool `json:"-"`
}

// EmailStatus is the state of an email invitation (GET
// accounts/invitations/{id}/).
type EmailStatus struct {
	// ID identifies the invitation.
	ID string `json:"id"`
	// Email is the invitee's address.
	Email string `json:"email"`
	// Company is the workspace the invitation is for; nil when not given.
	Company *Company `json:"company"`
	// AuthGroupID is the id of the auth group the invitee gets, as the API
	// writes it.
	AuthGroupID StringOrNumber `json:"auth_group_id"`
	// IsExistingUser reports whether the invitee already has an account.
	IsExistingUser bool `json:"is_existing_user"`
	// IsActive says whether the invitation can still be accepted; read it
	// with IsActive.Bool().
	IsActive BoolOrString `json:"is_active"`
	// IsMFAEnabled says whether the workspace requires multi-factor
	// authentication; read it with IsMFAEnabled.Bool().
	IsMFAEnabled BoolOrString `json:"is_mfa_enabled"`
}

// Role is the role an organization invitation grants. Its values are defined
// by each deployment: the API documents the field as an enumeration but lists
// no values, so the SDK names none. Send the role names your deployment uses,
// as Role("...") or a constant of your own; a name the server does not know
// comes back as an *accounts.Error (400) naming "role". Any value the server
// sends is kept as it is.
type Role string

// Invitation is an invitation to join an organization (accounts/invite/ and
// accounts/invite/{uuid}/).
type Invitation struct {
	// UUID identifies the invitation; pass it to Get, Resend and Revoke.
	UUID string `json:"uuid"`
	// InviteeIdentifier is who is invited, such as an email address.
	InviteeIdentifier string `json:"invitee_identifier"`
	// Role is the role the invitation grants, or "" for the server's default.
	Role Role `json:"role"`
	// InvitedBy is the UUID of the user who sent the invitation.
	InvitedBy string `json:"invited_by"`
	// SentAt is when the invitation was (last) sent.
	SentAt time.Time `json:"sent_at"`
	// ValidUntil is when the invitation expires.
	ValidUntil time.Time `json:"valid_until"`
	// Recovered is true when Create's answer was lost after the server may
	// have acted, and the SDK found this invitation on the server (see
	// Create); the server's answer never reached the caller.
	Recovered bool `json:"-"`
	// Extra holds the members of the server's answer the SDK does not know,
	// undecoded, so that nothing the server sends is lost; nil when there are
	// none.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known fields and keeps the others in Extra.
func (i *Invitation) UnmarshalJSON(b []byte) error {
	type plain Invitation
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	extra, err := model.Extra[plain](b)
	if err != nil {
		return err
	}
	*i = Invitation(p)
	i.Extra = extra
	return nil
}

// ListOptions pages the organization invitation list (GET accounts/invite/)
// by page number and page size. Nil fields are not sent.
type ListOptions struct {
	paging.PageNumber
}

// Validate checks the options without sending anything; nil options are
// valid.
func (o *ListOptions) Validate() error {
	if o == nil {
		return nil
	}
	return o.PageNumber.Validate()
}

// CreateRequest invites someone into the organization (POST accounts/invite/).
type CreateRequest struct {
	// InviteeIdentifier is who is invited, such as an email address;
	// required.
	InviteeIdentifier string `json:"invitee_identifier"`
	// Role is the role to grant; "" leaves it to the server.
	Role Role `json:"role,omitempty"`
}

// Validate checks the request without sending anything.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return validate.RequiredRequest("invitee_identifier is required")
	}
	return errors.Join(validate.NotEmpty("invitee_identifier", r.InviteeIdentifier), validate.Text("role", string(r.Role)))
}

// Service sends and manages invitations. Get one from
// accounts.Client.Invitations.
type Service struct {
	c *core.Client
}

// init lets accounts.NewClient build the Service (see internal/services).
func init() {
	services.Register(func(c *core.Client) *Service { return &Service{c: c} })
}

// Send invites an email address into the authenticated user's current workspace
// (POST accounts/invitations/). The invitee gets an email with a link to
// accept.
//
// Send is a POST: a failed attempt is retried only when the server said it did
// nothing (429, or 503 with Retry-After) or the connection failed before the
// request was sent, so a retry never sends a second invitation. When the
// answer is lost after the request may have reached the server (a 500, a
// proxy's 502 or 504, a connection cut, a success answer the SDK cannot
// read), Send sends it again: the server
// refuses a second invitation to the same address as already pending, which
// proves the first one arrived, and Send then returns the invitation with
// Recovered set and no ID (the API gave none). Any other failure of sending
// again that does not itself say the server may have acted (a refusal in
// words the SDK does not know, say in the server's language, or a 403) does
// not tell whether the first one arrived: the error is then an
// *accounts.RecoveryError, which matches accounts.ErrMayHaveActed and holds
// both failures. One that does (another lost answer, until the retry budget
// is spent) is returned as it is, matching accounts.ErrMayHaveActed. accounts.WithoutRecovery turns this off.
//
// An address that is already a member of the workspace, or already has a
// pending invitation, is refused by the server; errors.Is matches that
// refusal with ErrAlreadyMember or ErrAlreadyPending, so that a program can
// count the address as done and a rerun is safe.
func (s *Service) Send(ctx context.Context, req *SendRequest, reqOpts ...RequestOption) (*EmailInvitation, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	inv, recovered, err := once.Run(ctx, s.c, reqOpts, once.Create[EmailInvitation]{
		What:   "email invitation",
		Lookup: "POST " + endpoints.Invitations + " again (the server refuses an address already invited as pending)",
		Send: func(ctx context.Context, opts []RequestOption) (*EmailInvitation, error) {
			inv, err := core.Call[EmailInvitation](ctx, s.c, "POST", endpoints.Invitations, req, opts)
			return inv, recognise(err, "email")
		},
		Refused: func(err error) (*EmailInvitation, bool) {
			if !errors.Is(err, ErrAlreadyPending) {
				return nil, false
			}
			return &EmailInvitation{Email: req.Email, AuthGroup: req.AuthGroup}, true
		},
	})
	if recovered {
		inv.Recovered = true
	}
	return inv, err
}

// Status returns the state of the email invitation with the given id, the UUID
// Send returned (GET accounts/invitations/{id}/).
func (s *Service) Status(ctx context.Context, id string, reqOpts ...RequestOption) (*EmailStatus, error) {
	if err := validate.UUID("id", id); err != nil {
		return nil, err
	}
	return core.Call[EmailStatus](ctx, s.c, "GET", endpoints.Invitation(id), nil, reqOpts)
}

var invitationList = pagination.Endpoint[Invitation, *ListOptions]{Path: endpoints.Invites, Style: pagination.PageNumber}

// List returns one page of the organization's invitations (GET
// accounts/invite/); opts may be nil.
func (s *Service) List(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) (*Page[Invitation], error) {
	return invitationList.List(ctx, s.c, opts, reqOpts)
}

// All iterates over every invitation of the organization (GET
// accounts/invite/), page after page; opts may be nil. Breaking out of the
// loop stops fetching.
func (s *Service) All(ctx context.Context, opts *ListOptions, reqOpts ...RequestOption) iter.Seq2[*Invitation, error] {
	return invitationList.All(ctx, s.c, opts, reqOpts)
}

// Create invites someone into the organization (POST accounts/invite/). Like
// Send, it is retried only when the server certainly did nothing, and errors.Is
// matches the refusal of an identifier with a pending invitation with
// ErrAlreadyPending.
//
// When the answer is lost after the request may have reached the server (a 500,
// a proxy's 502 or 504, a connection cut), Create looks through the
// organization's invitations (GET accounts/invite/) for a pending one with the
// same invitee identifier and, when req sets one, the same role. Found, it is
// the result, with Recovered set (also when it was pending before the call:
// the server keeps one pending invitation per identifier, so the state asked
// for holds); absent, the invitation is sent again, unless the lost answer
// was a success the SDK could not read (then the error, matching
// accounts.ErrMayHaveActed, is returned). When the lookup fails or
// finds only other invitations for the identifier, the error is an
// *accounts.RecoveryError. The API has no
// filter for the lookup, so it walks every invitation. accounts.WithoutRecovery
// turns this off.
func (s *Service) Create(ctx context.Context, req *CreateRequest, reqOpts ...RequestOption) (*Invitation, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	inv, recovered, err := once.Run(ctx, s.c, reqOpts, once.Create[Invitation]{
		What:   "organization invitation",
		Lookup: "GET " + endpoints.Invites + " (every invitation, by invitee identifier and role)",
		Send: func(ctx context.Context, opts []RequestOption) (*Invitation, error) {
			inv, err := core.Call[Invitation](ctx, s.c, "POST", endpoints.Invites, req, opts)
			return inv, recognise(err, "invitee_identifier")
		},
		Find: func(ctx context.Context, opts []RequestOption) ([]*Invitation, error) {
			return s.withIdentifier(ctx, validate.Trim(req.InviteeIdentifier), opts)
		},
		Same: func(inv *Invitation) bool {
			// A role left to the server's default matches any role; an
			// expired invitation is not one just created.
			return (req.Role == "" || inv.Role == req.Role) && (inv.ValidUntil.IsZero() || inv.ValidUntil.After(time.Now()))
		},
	})
	if recovered {
		inv.Recovered = true
	}
	return inv, err
}

// withIdentifier returns the organization's invitations for identifier, as
// the server stores it (trimmed). The list has no filter, so it walks every
// invitation.
func (s *Service) withIdentifier(ctx context.Context, identifier string, opts []RequestOption) ([]*Invitation, error) {
	var out []*Invitation
	for inv, err := range s.All(ctx, nil, opts...) {
		if err != nil {
			return nil, err
		}
		if inv.InviteeIdentifier == identifier {
			out = append(out, inv)
		}
	}
	return out, nil
}

// Get returns the organization invitation with the given UUID (GET
// accounts/invite/{uuid}/).
func (s *Service) Get(ctx context.Context, uuid string, reqOpts ...RequestOption) (*Invitation, error) {
	if err := validate.UUID("uuid", uuid); err != nil {
		return nil, err
	}
	return core.Call[Invitation](ctx, s.c, "GET", endpoints.Invite(uuid), nil, reqOpts)
}

// Resend sends the organization invitation with the given UUID again (POST
// accounts/invite/{uuid}/) and returns it as it is afterwards. It is never
// repeated after a failure that may have reached the server (that would send
// the invitation twice); such an error matches accounts.ErrMayHaveActed.
func (s *Service) Resend(ctx context.Context, uuid string, reqOpts ...RequestOption) (*Invitation, error) {
	if err := validate.UUID("uuid", uuid); err != nil {
		return nil, err
	}
	return once.Call[Invitation](ctx, s.c, "POST", endpoints.Invite(uuid), nil, reqOpts)
}

// Revoke withdraws the organization invitation with the given UUID (DELETE
// accounts/invite/{uuid}/); the invitee can no longer accept it.
func (s *Service) Revoke(ctx context.Context, uuid string, reqOpts ...RequestOption) error {
	if err := validate.UUID("uuid", uuid); err != nil {
		return err
	}
	return once.Do(ctx, s.c, "DELETE", endpoints.Invite(uuid), reqOpts)
}
