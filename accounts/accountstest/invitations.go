package accountstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// InvitationValidity is how long an organization invitation stays valid after
// it is sent or resent.
const InvitationValidity = 14 * 24 * time.Hour

// EmailInvitation is an invitation sent by email into a workspace
// (POST accounts/invitations/, GET accounts/invitations/{id}/).
type EmailInvitation struct {
	// ID identifies the invitation; GET accounts/invitations/{id}/ looks it up.
	ID string
	// Email is the invited address.
	Email string
	// AuthGroup is the auth group id the invitee will get.
	AuthGroup int
	// WorkspaceID is the workspace the invitation is into.
	WorkspaceID int
	// InvitedBy is the inviting user's id.
	InvitedBy int
}

// Invitation is an invitation into the organization (accounts/invite/).
type Invitation struct {
	// UUID identifies the invitation in accounts/invite/{uuid}/.
	UUID string
	// InviteeIdentifier is who is invited, such as an email address.
	InviteeIdentifier string
	// Role is one of the server's invitation roles (WithInvitationRoles).
	Role string
	// InvitedBy is the inviting user's UUID.
	InvitedBy string
	// SentAt is when the invitation was last sent.
	SentAt time.Time
	// ValidUntil is SentAt plus InvitationValidity.
	ValidUntil time.Time
	// Sends counts the sends: 1, plus one per resend.
	Sends int
}

// DefaultInvitationRoles returns the roles an organization invitation takes
// unless WithInvitationRoles says otherwise: MEMBER (the default of a request
// without one), ADMIN and OWNER. They are this fake's choice, not the API's:
// the API's documentation lists no values, and each deployment defines its own.
func DefaultInvitationRoles() []string { return []string{"MEMBER", "ADMIN", "OWNER"} }

// WithInvitationRoles sets the values an organization invitation's role takes,
// as a deployment defines them (default DefaultInvitationRoles). The first is
// the role of a request that gives none. A role outside them is refused as
// Django REST framework's ChoiceField refuses it: 400
// {"role": ["\"X\" is not a valid choice."]}, compared exactly (case
// included). Whatever the set, a role named OWNER is refused ("Owners cannot
// be invited") and one named ADMIN needs an OWNER or ADMIN inviter, as the
// API's rules say. With no roles the option changes nothing.
func WithInvitationRoles(roles ...string) Option {
	roles = slices.Clone(roles)
	return func(c *config) {
		if len(roles) > 0 {
			c.invitationRoles = roles
		}
	}
}

// choiceText is the text Django REST framework's ChoiceField compares with
// its choices, and quotes when it refuses a value: Python's str of the value
// JSON parsing gave.
func choiceText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return jsonNumberText(v)
	case bool:
		if v {
			return "True"
		}
		return "False"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// EmailInvitations returns every email invitation, oldest first.
func (s *Server) EmailInvitations() []EmailInvitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.emailInvites)
}

// Invitations returns every organization invitation that was not revoked,
// oldest first.
func (s *Server) Invitations() []Invitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.invites)
}

// sendInvitation answers operation 6 with seed 001's rules: owners cannot be
// invited, only OWNER and ADMIN users may invite with the ADMIN group, a
// member of the workspace cannot be invited into it, and a second pending
// invitation for the same email and workspace is refused.
func (s *Server) sendInvitation(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	errs := map[string][]string{}
	email, _, msg := charField{required: true, maxLen: 1024}.read(body, "email")
	if msg == "" && !validEmail(email) {
		msg = "Enter a valid email address."
	}
	if msg != "" {
		errs["email"] = []string{msg}
	}
	rawGroup, present := body["auth_group"]
	groupID, ok := drfInt(rawGroup)
	switch _, exists := groupByID(groupID); {
	case !present:
		errs["auth_group"] = []string{"This field is required."}
	case rawGroup == nil:
		errs["auth_group"] = []string{"This field may not be null."}
	case !ok:
		errs["auth_group"] = []string{"Incorrect type. Expected pk value, received " + jsonKind(body["auth_group"]) + "."}
	case !exists:
		errs["auth_group"] = []string{fmt.Sprintf(`Invalid pk "%d" - object does not exist.`, groupID)}
	case groupID == GroupOwner:
		errs["auth_group"] = []string{"Owners cannot be invited; they are created through the onboarding flow."}
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	if g := s.roleOf(u); groupID == GroupAdmin && g != GroupOwner && g != GroupAdmin {
		writeJSON(w, http.StatusForbidden, detail("Only OWNER and ADMIN users can invite users with the ADMIN role."))
		return
	}
	s.answer(w, func() reply {
		for _, p := range s.people {
			if strings.EqualFold(p.Email, email) && p.inWorkspace(u.active) {
				return reply{http.StatusBadRequest, fieldError("email", "This user is already a member of this workspace.")}
			}
		}
		for _, inv := range s.emailInvites {
			if strings.EqualFold(inv.Email, email) && inv.WorkspaceID == u.active {
				return reply{http.StatusBadRequest, fieldError("email", "An invitation for this email address is already pending.")}
			}
		}
		inv := EmailInvitation{ID: newUUID(s.rng), Email: email, AuthGroup: groupID, WorkspaceID: u.active, InvitedBy: u.person.ID}
		s.emailInvites = append(s.emailInvites, inv)
		return reply{http.StatusCreated, map[string]any{"id": inv.ID, "email": inv.Email, "auth_group": inv.AuthGroup}}
	})
}

// invitationStatus answers operation 7. The flags are strings, as seed 001
// documents them.
func (s *Server) invitationStatus(w http.ResponseWriter, _ *http.Request, _ *user, id string) {
	s.answer(w, func() reply {
		i := slices.IndexFunc(s.emailInvites, func(inv EmailInvitation) bool { return strings.EqualFold(inv.ID, id) })
		if i < 0 {
			return noInvitation()
		}
		inv := s.emailInvites[i]
		existing := slices.ContainsFunc(s.people, func(p *User) bool { return strings.EqualFold(p.Email, inv.Email) })
		ws := s.workspaces[inv.WorkspaceID-1]
		return reply{http.StatusOK, map[string]any{
			"id": inv.ID, "email": inv.Email, "company": ws.company(), "auth_group_id": strconv.Itoa(inv.AuthGroup),
			"is_existing_user": existing, "is_active": "true", "is_mfa_enabled": strconv.FormatBool(ws.IsMFAEnabled),
		}}
	})
}

type invitationJSON struct {
	UUID              string `json:"uuid"`
	InviteeIdentifier string `json:"invitee_identifier"`
	Role              string `json:"role"`
	InvitedBy         string `json:"invited_by"`
	SentAt            string `json:"sent_at"`
	ValidUntil        string `json:"valid_until"`
}

func (inv Invitation) json() invitationJSON {
	return invitationJSON{
		UUID: inv.UUID, InviteeIdentifier: inv.InviteeIdentifier, Role: inv.Role, InvitedBy: inv.InvitedBy,
		SentAt: drfTime(inv.SentAt), ValidUntil: drfTime(inv.ValidUntil),
	}
}

// listInvites answers operation 17, paged by page/page_size.
func (s *Server) listInvites(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	if !s.can(w, u, "view_invitation") {
		return
	}
	var list []invitationJSON
	s.withLock(func() {
		list = make([]invitationJSON, len(s.invites))
		for i, inv := range s.invites {
			list[i] = inv.json()
		}
	})
	from, to, next, prev, ok := s.pageNumber(w, r, len(list))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, envelope{Count: len(list), Next: next, Previous: prev, Results: list[from:to]})
}

// createInvite answers operation 18 with the same rules as email
// invitations: no OWNER role, ADMIN only from an owner or admin, one pending
// invitation per identifier. The role is one of the server's invitation roles,
// the first by default.
func (s *Server) createInvite(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	errs := map[string][]string{}
	ident, _, msg := charField{required: true}.read(body, "invitee_identifier")
	if msg != "" {
		errs["invitee_identifier"] = []string{msg}
	}
	roles := s.cfg.invitationRoles
	role := roles[0]
	if v, present := body["role"]; present {
		rs := choiceText(v)
		switch {
		case v == nil:
			errs["role"] = []string{"This field may not be null."}
		case !slices.Contains(roles, rs):
			errs["role"] = []string{fmt.Sprintf(`"%s" is not a valid choice.`, rs)}
		case rs == "OWNER":
			errs["role"] = []string{"Owners cannot be invited; they are created through the onboarding flow."}
		default:
			role = rs
		}
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	if g := s.roleOf(u); role == "ADMIN" && g != GroupOwner && g != GroupAdmin {
		writeJSON(w, http.StatusForbidden, detail("Only OWNER and ADMIN users can invite users with the ADMIN role."))
		return
	}
	s.answer(w, func() reply {
		now := time.Now().UTC()
		for _, inv := range s.invites {
			if strings.EqualFold(inv.InviteeIdentifier, ident) && inv.ValidUntil.After(now) {
				return reply{http.StatusBadRequest, fieldError("invitee_identifier", "An invitation for this identifier is already pending.")}
			}
		}
		inv := Invitation{UUID: newUUID(s.rng), InviteeIdentifier: ident, Role: role, InvitedBy: u.person.UUID, SentAt: now, ValidUntil: now.Add(InvitationValidity), Sends: 1}
		s.invites = append(s.invites, inv)
		return reply{http.StatusCreated, inv.json()}
	})
}

// findInvite returns the index of the invitation with uuid, or -1. The caller
// holds s.mu.
func (s *Server) findInvite(uuid string) int {
	return slices.IndexFunc(s.invites, func(inv Invitation) bool { return strings.EqualFold(inv.UUID, uuid) })
}

// noInvitation is the 404 of an unknown invitation of either kind.
func noInvitation() reply {
	return reply{http.StatusNotFound, detail("No Invitation matches the given query.")}
}

func (s *Server) getInvite(w http.ResponseWriter, _ *http.Request, _ *user, id string) {
	s.answer(w, func() reply {
		i := s.findInvite(id)
		if i < 0 {
			return noInvitation()
		}
		return reply{http.StatusOK, s.invites[i].json()}
	})
}

// resendInvite answers operation 20: a new send time and validity.
func (s *Server) resendInvite(w http.ResponseWriter, _ *http.Request, _ *user, id string) {
	s.answer(w, func() reply {
		i := s.findInvite(id)
		if i < 0 {
			return noInvitation()
		}
		inv := &s.invites[i]
		inv.SentAt = time.Now().UTC()
		inv.ValidUntil = inv.SentAt.Add(InvitationValidity)
		inv.Sends++
		return reply{http.StatusOK, inv.json()}
	})
}

// revokeInvite answers operation 21.
func (s *Server) revokeInvite(w http.ResponseWriter, _ *http.Request, _ *user, id string) {
	s.answer(w, func() reply {
		i := s.findInvite(id)
		if i < 0 {
			return noInvitation()
		}
		s.invites = slices.Delete(s.invites, i, i+1)
		return reply{status: http.StatusNoContent}
	})
}

// invitationHandlers are the handlers of both kinds of invitation, by operation
// number (endpoints.Operations); server.go joins them into handlers.
var invitationHandlers = map[int]handler{
	6:  (*Server).sendInvitation,   // POST accounts/invitations/
	7:  (*Server).invitationStatus, // GET accounts/invitations/{id}/
	17: (*Server).listInvites,      // GET accounts/invite/
	18: (*Server).createInvite,     // POST accounts/invite/
	19: (*Server).getInvite,        // GET accounts/invite/{uuid}/
	20: (*Server).resendInvite,     // POST accounts/invite/{uuid}/
	21: (*Server).revokeInvite,     // DELETE accounts/invite/{uuid}/
}
