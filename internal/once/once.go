// Package once decides what the SDK does with a write whose answer was lost,
// so that no write is done twice and none is reported failed when it was
// done.
//
// A write's answer can be lost after the server acted: a proxy gives up on the
// upstream (502, 504) after the application committed, or the connection
// breaks after the request was written. Each write of the API is one of three
// kinds, and the API's operation table (endpoints.Operations, its Kind
// column) says which; the README's Retries section and docs/OPERATIONS.md
// list it:
//
//   - Repeat (endpoints.Repeat): sending it again changes nothing (PUT, DELETE, a PATCH of plain
//     fields, switching workspace, asking for the login URL), so it is
//     retried like a read. A DELETE answered 404 after such a retry is
//     success.
//   - Recover: a create. The SDK looks the object up by the natural key the
//     API offers; when the server holds an object equal in every field sent,
//     that object is the call's result, marked Recovered; when it holds
//     none, the create is sent again. A workspace invitation has no lookup:
//     it is sent again, and the server's own "already pending" refusal
//     proves the first one arrived.
//   - Never: repeating it would act twice (the usage increment, resending an
//     invitation). It is never repeated, and its error matches
//     apierror.ErrMayHaveActed.
package once

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/requestconfig"
)

// Call makes a write that is not a create, whose answer is one JSON object,
// and returns it decoded as a T. Its kind comes from the operation table by
// method and path: a Repeat is retried after a failure that may have reached
// the server; a Never is not, and its error then matches
// apierror.ErrMayHaveActed.
func Call[T any](ctx context.Context, c *core.Client, method, path string, body any, opts []requestconfig.Option) (*T, error) {
	var out T
	r := &core.Request{Method: method, Path: path, Body: body, Idempotent: kindOf(method, path) == endpoints.Repeat}
	if _, err := c.Do(ctx, r, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// Do makes a write that is not a create, whose answer has no value the
// caller needs, as Call does.
func Do(ctx context.Context, c *core.Client, method, path string, opts []requestconfig.Option) error {
	_, err := c.Do(ctx, &core.Request{Method: method, Path: path, Idempotent: kindOf(method, path) == endpoints.Repeat}, nil, opts)
	return err
}

// kindOf returns the kind of the write that method and path (escaped,
// relative to the base URL) make, from the operation table; 0 when the table
// has no such operation, which then is treated as a write that must not be
// repeated.
func kindOf(method, path string) endpoints.Kind {
	op, _, ok := endpoints.Match(method, path)
	if !ok {
		return 0
	}
	return op.Kind
}

// Create describes one create (a Recover write) for Run.
type Create[T any] struct {
	// What names the object in log lines, such as "user".
	What string
	// Lookup names how Find looks, for RecoveryError: the method, the path
	// and the key, never a value.
	Lookup string
	// Send makes the create once.
	Send func(ctx context.Context, opts []requestconfig.Option) (*T, error)
	// Find lists the objects the server holds with the create's natural key
	// (every one, whatever its other fields), or fails. Nil for a create
	// without a lookup; with one, Same is set too.
	Find func(ctx context.Context, opts []requestconfig.Option) ([]*T, error)
	// Same reports whether an object Find returned holds every field Send
	// sent, as the server stores it.
	Same func(*T) bool
	// Refused, for a create without a lookup, reports whether an error of a
	// send after the first is the server's proof that the object exists, and
	// returns the result to give the caller; any other failure that does not
	// itself say the server may have acted leaves the outcome unknown, a
	// *core.RecoveryError whose Lookup names the sending again. With neither
	// Find nor Refused, the create cannot be recovered and is never sent
	// twice.
	Refused func(err error) (*T, bool)
}

// ErrDiffers is the lookup's failure when the server holds a new object with
// the create's natural key whose other fields differ from what was sent.
var ErrDiffers = errors.New("an object with the same key exists, with other values than were sent")

// errSeveral is the lookup's failure when several objects hold the create's
// key and every field it sent (a key the server does not keep unique, such
// as a user's email): none can be told to be the call's.
var errSeveral = errors.New("several objects hold the same key and every value sent, so the SDK cannot tell which one is the call's")

// Run makes the create described by cr. After a failure that may have
// reached the server (core.MayHaveActed), unless the call's options say
// WithoutRecovery, it looks the object up by its key, once per such failure
// (after a success answer it could not read, core.AnsweredSuccess, a create
// with a lookup looks once and is never sent again):
// the one object holding every field sent is returned with recovered true;
// none with the key, and the create is sent again, at most as many times as
// the call's retry budget allows; objects with the key and other values,
// several holding every field sent, or a failed lookup, are a
// *core.RecoveryError. An object that held the key and every field before
// the call counts as found: for keys the server keeps unique (a slug, a
// pending invitation's identifier) the server would have refused to create
// it again, and the state the caller asked for holds. The whole runs under one deadline:
// the call's WithTimeout, when set, bounds the sends and lookups together.
func Run[T any](ctx context.Context, c *core.Client, opts []requestconfig.Option, cr Create[T]) (v *T, recovered bool, err error) {
	cfg := requestconfig.Apply(opts)
	if cfg.NoRecovery || (cr.Find == nil && cr.Refused == nil) {
		v, err = cr.Send(ctx, opts)
		return v, false, err
	}
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	// The calls below run under ctx; a lookup reports nothing to the
	// caller's WithResponseInto.
	send := append(requestconfig.Clone(opts), noTimeout)
	look := append(requestconfig.Clone(opts), noTimeout, requestconfig.NoResponse)

	lookAgain := func(sends int, proof string) (*T, error) {
		objs, err := cr.Find(ctx, look)
		if err != nil {
			return nil, err
		}
		var same []*T
		for _, o := range objs {
			if cr.Same(o) {
				same = append(same, o)
			}
		}
		switch {
		case len(same) > 1:
			return nil, errSeveral
		case len(same) == 1:
			c.Log(ctx, slog.LevelInfo, "accounts: recovered a create whose answer was lost",
				slog.String("object", cr.What), slog.Int("sends", sends), slog.String("proof", proof))
			return same[0], nil
		case len(objs) > 0:
			return nil, ErrDiffers
		}
		return nil, nil
	}

	budget := c.RetryBudget(opts)
	// acted is the failure of the last send that may have acted. Without a
	// lookup (Find) nothing but Refused settles it.
	var acted error
	for sends := 1; ; sends++ {
		v, err = cr.Send(ctx, send)
		if err == nil {
			return v, false, nil
		}
		if sends > 1 && cr.Refused != nil {
			if v, ok := cr.Refused(err); ok {
				c.Log(ctx, slog.LevelInfo, "accounts: recovered a create whose answer was lost",
					slog.String("object", cr.What), slog.Int("sends", sends), slog.String("proof", "refused as existing"))
				return v, true, nil
			}
		}
		if cr.Find == nil && acted != nil && !core.MayHaveActed(err) {
			// An earlier send may have acted, and this one's failure (a
			// refusal in other words than Refused knows, a 403, the end of
			// the context) says neither that it did nor that it did not.
			return nil, false, &core.RecoveryError{Lookup: cr.Lookup, Err: acted, LookupErr: err}
		}
		if sends > 1 && cr.Find != nil && refused(err) && ctx.Err() == nil {
			// A send after a lost answer was refused (say, "slug already
			// exists"): the first one may have been committed after the
			// lookup looked (a proxy's 504 while the application was still
			// working). One more lookup tells.
			found, lerr := lookAgain(sends, "found by its key after a refusal")
			switch {
			case lerr == nil && found != nil:
				return found, true, nil
			case lerr != nil && !errors.Is(lerr, ErrDiffers) && acted != nil:
				// The lookup cannot tell whether an earlier send made
				// the object the server now refuses to make again.
				return nil, false, &core.RecoveryError{Lookup: cr.Lookup, Err: acted,
					LookupErr: fmt.Errorf("sending it again was refused (%w), and looking again failed: %w", err, lerr)}
			}
			// Nothing with the key, or only an object with other values:
			// the refusal is the answer.
			return nil, false, err
		}
		if !core.MayHaveActed(err) || ctx.Err() != nil {
			return nil, false, err
		}
		acted = err
		if core.AnsweredSuccess(err) && cr.Find != nil {
			// A success answer the SDK could not read: the server said it
			// acted (or a page answered for it). A lookup may find the
			// object; not finding it proves nothing, and sending again
			// could make a second one where keys are not unique (users'
			// emails). A create proven by Refused is sent again: the
			// server's refusal of a second one is the proof.
			found, lerr := lookAgain(sends, "found by its key after a success answer")
			switch {
			case lerr != nil:
				return nil, false, &core.RecoveryError{Lookup: cr.Lookup, Err: err, LookupErr: lerr}
			case found != nil:
				return found, true, nil
			}
			return nil, false, err
		}
		if cr.Find != nil {
			found, lerr := lookAgain(sends, "found by its key")
			if lerr != nil {
				return nil, false, &core.RecoveryError{Lookup: cr.Lookup, Err: err, LookupErr: lerr}
			}
			if found != nil {
				return found, true, nil
			}
		}
		if sends > budget {
			return nil, false, err
		}
		c.Log(ctx, slog.LevelInfo, "accounts: sending a create again: its answer was lost and it is not on the server",
			slog.String("object", cr.What), slog.Int("sends", sends))
	}
}

// refused reports whether err is the server's refusal of the input (400,
// 409 or 422): what a create gets when an object with its key exists.
func refused(err error) bool {
	var e *apierror.Error
	return errors.As(err, &e) && (e.StatusCode == 400 || e.StatusCode == 409 || e.StatusCode == 422)
}

// noTimeout undoes, for the calls Run makes, the timeout Run applies itself:
// it bounds the whole. (The lookups also take requestconfig.NoResponse: only
// the create's own answer goes to WithResponseInto.)
func noTimeout(c *requestconfig.Config) { c.Timeout = 0 }
