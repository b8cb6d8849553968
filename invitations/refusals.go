package invitations

import (
	"errors"
	"net/http"
	"strings"

	"github.com/coolset-go/sdk/internal/apierror"
)

// Refusals that mean there is nothing left to do: the person is already in, or
// already invited. Send and Create return the server's *accounts.Error for
// them, wrapped so that errors.Is matches one of these as well:
//
//	_, err := client.Invitations.Send(ctx, req)
//	switch {
//	case errors.Is(err, invitations.ErrAlreadyPending): // invited before; nothing sent now
//	case errors.Is(err, invitations.ErrAlreadyMember): // already in the workspace
//	case err != nil: // any other failure
//	}
//
// errors.As still finds the *accounts.Error, with the server's status and
// messages, and errors.Is(err, accounts.ErrInvalid) still matches a 400.
//
// The server's wording is not part of the API's documentation, so the
// refusal is recognised by its shape: a 400 or 409 answer every message of
// which is about the invited address (the "email" field for Send,
// "invitee_identifier" for Create, or no field) and says that it is already a
// member ("This user is already a member of this workspace.") or that an
// invitation is already pending ("An invitation for this email address is
// already pending.", "A pending invitation for this email already exists.").
// Ignoring case, a message about membership contains "already a member"; one
// about a pending invitation contains "already", "pending" and "invitation".
// An answer that refuses anything else as well (say, the auth group) matches
// neither, so that a row with a second problem is never taken for done.
var (
	// ErrAlreadyMember matches the refusal of an invitation for someone who
	// is already a member (Send: of the current workspace).
	ErrAlreadyMember = errors.New("invitations: already a member")
	// ErrAlreadyPending matches the refusal of an invitation (Send or
	// Create) for an address or identifier that has a pending invitation.
	ErrAlreadyPending = errors.New("invitations: an invitation is already pending")
)

// refusal is the server's answer to an invitation that was already done,
// with the sentinel that says which.
type refusal struct {
	err  error // the call's error, holding the *apierror.Error
	kind error // ErrAlreadyMember or ErrAlreadyPending
}

func (r *refusal) Error() string        { return r.err.Error() }
func (r *refusal) Unwrap() error        { return r.err }
func (r *refusal) Is(target error) bool { return target == r.kind }

// recognise returns err wrapped as a refusal when it is the server's
// answer that the invitation was already done; field is the request's
// address field. Any other error is returned as it is.
func recognise(err error, field string) error {
	var apiErr *apierror.Error
	if !errors.As(err, &apiErr) || (apiErr.StatusCode != http.StatusBadRequest && apiErr.StatusCode != http.StatusConflict) {
		return err
	}
	var msgs []string
	if apiErr.Detail != "" {
		msgs = append(msgs, apiErr.Detail)
	}
	for key, list := range apiErr.FieldErrors {
		if key != field && key != apierror.NonFieldErrors {
			return err // another field was refused too
		}
		msgs = append(msgs, list...)
	}
	var kind error
	for _, m := range msgs {
		k := alreadyDone(m)
		if k == nil || (kind != nil && k != kind) {
			return err
		}
		kind = k
	}
	if kind == nil {
		return err
	}
	return &refusal{err: err, kind: kind}
}

// alreadyDone returns the sentinel a server message stands for, or nil.
func alreadyDone(msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "already a member"):
		return ErrAlreadyMember
	case strings.Contains(m, "already") && strings.Contains(m, "pending") && strings.Contains(m, "invitation"):
		return ErrAlreadyPending
	}
	return nil
}
