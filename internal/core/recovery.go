package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// MayHaveActed reports whether err is the failure of a call that is not
// idempotent whose request may have reached the server: an answer that does
// not promise that nothing was done (500, 502, 504, 503 without
// Retry-After), a connection lost after the request was written, an attempt
// or context that ran out while waiting, or a success answer that could not
// be read.
func MayHaveActed(err error) bool { return errors.Is(err, apierror.ErrMayHaveActed) }

// RetryBudget is how many times a call made with opts may be sent again: the
// client's policy, or the call's own WithMaxRetries.
func (c *Client) RetryBudget(opts []requestconfig.Option) int {
	if cfg := requestconfig.Apply(opts); cfg.MaxRetries != nil {
		return max(*cfg.MaxRetries, 0)
	}
	return c.policy.MaxRetries
}

// Log writes one record to the client's logger, if it has one. Callers pass
// no secret and no query string.
func (c *Client) Log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if c.logger != nil {
		c.logger.LogAttrs(ctx, level, msg, attrs...)
	}
}

// RecoveryError is a create whose answer was lost (its error says the server
// may have acted) and whose outcome the SDK could not establish: the lookup
// by the object's natural key failed, or found an object with the same key
// that differs from what was sent. errors.As reaches both failures: the
// create's (Err) and the lookup's (LookupErr).
type RecoveryError struct {
	// Lookup names how the SDK looked for the object, such as "GET
	// accounts/users/ (search by email)"; it never quotes a value.
	Lookup string
	// Err is the create's failure: the server may have acted.
	Err error
	// LookupErr is why the lookup could not tell.
	LookupErr error
}

// Error says that the outcome is unknown, names the lookup and both failures.
func (e *RecoveryError) Error() string {
	return fmt.Sprintf("%v; the SDK could not tell whether it was created: looking it up with %s: %v", e.Err, e.Lookup, e.LookupErr)
}

// Unwrap returns the create's failure and the lookup's, for errors.Is and
// errors.As.
func (e *RecoveryError) Unwrap() []error { return []error{e.Err, e.LookupErr} }
