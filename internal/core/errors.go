package core

import (
	"errors"
	"fmt"

	"github.com/coolset-go/sdk/internal/apierror"
)

// TransportError is a call that got no answer: the connection failed, timed
// out or was refused, on every attempt made. errors.As reaches the failure
// underneath (a *url.Error, a net.Error).
type TransportError struct {
	// Method and Path name the call (the path without its query string).
	Method, Path string
	// Attempts is how many attempts were made.
	Attempts int
	// MayHaveActed is true for a call that is not idempotent (a POST or
	// PATCH not marked Request.Idempotent) whose request may have reached the
	// server: check before repeating it.
	MayHaveActed bool
	// Err is the last attempt's failure, without query strings.
	Err error
}

// Error names the call, the attempts and the failure.
func (e *TransportError) Error() string {
	s := fmt.Sprintf("accounts: %s %s: no answer after %d attempt", e.Method, e.Path, e.Attempts)
	if e.Attempts != 1 {
		s += "s"
	}
	if e.MayHaveActed {
		s += " (the request may have reached the server, which may have acted: check before repeating the call)"
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the failure underneath.
func (e *TransportError) Unwrap() error { return e.Err }

// Is matches apierror.ErrMayHaveActed when MayHaveActed is true.
func (e *TransportError) Is(target error) bool {
	return target == apierror.ErrMayHaveActed && e.MayHaveActed
}

// MayHaveActed reports whether err is the failure of a call that is not
// idempotent whose request may have reached the server: an answer that does
// not promise that nothing was done (500, 502, 504, 503 without
// Retry-After), a connection lost after the request was written, an attempt
// or context that ran out while waiting, or a success answer that could not
// be read.
func MayHaveActed(err error) bool { return errors.Is(err, apierror.ErrMayHaveActed) }

// RecoveryError is a create whose answer was lost (its error says the server
// may have acted) and whose outcome the SDK could not establish: the lookup
// by the object's natural key failed, or found an object with the same key
// that differs from what was sent; or, for a create that has no lookup and
// is proven only by the server refusing it again as existing
// (Invitations.Send), sending it again failed otherwise. errors.As reaches
// both failures: the create's (Err) and the lookup's or second send's
// (LookupErr).
type RecoveryError struct {
	// Lookup names how the SDK looked for the object, such as "GET
	// accounts/users/ (search by email)"; it never quotes a value.
	Lookup string
	// Err is the create's failure: the server may have acted.
	Err error
	// LookupErr is why the lookup (or the second send) could not tell.
	LookupErr error
}

// Error says that the outcome is unknown, names the lookup and both failures.
func (e *RecoveryError) Error() string {
	return fmt.Sprintf("%v; the SDK could not tell whether it was created: looking it up with %s: %v", e.Err, e.Lookup, e.LookupErr)
}

// Unwrap returns the create's failure and the lookup's, for errors.Is and
// errors.As.
func (e *RecoveryError) Unwrap() []error { return []error{e.Err, e.LookupErr} }
