package core

import (
	"fmt"
	"net/http"
)

// redirectPolicy follows a redirect only to the client's own scheme, host and
// base path: oauth2.Transport sits below http.Client and would put the token
// on any request. The caller's own CheckRedirect, if any, then decides.
func (c *Client) redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		loc := redact(req.URL.String())
		if !c.SameBase(req.URL) {
			return &RedirectError{Location: loc, Reason: ReasonForeign}
		}
		if len(via) > 0 && via[0].Method != req.Method {
			// net/http turns a POST, PUT or PATCH redirected with 301, 302 or
			// 303 into a GET: the call would report success for an act the
			// server never did.
			return &RedirectError{Location: loc, Reason: "it would turn the " + via[0].Method + " into a " + req.Method}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return &RedirectError{Location: loc, Reason: fmt.Sprintf("stopped after %d redirects", maxRedirects)}
		}
		return nil
	}
}

// maxRedirects is how many redirects one attempt follows, as net/http's
// default policy.
const maxRedirects = 10

// ReasonForeign is the Reason of a RedirectError for a target away from the
// base URL.
const ReasonForeign = "it leads away from the base URL"

// RedirectError reports a place the server sent the SDK to that it refused to
// go: a redirect that leads away from the base URL (where the credentials
// must not go), one that would change the request's method, or one too many;
// or a list's next link that leads away from the base URL (NextLink). It is
// final: never retried.
type RedirectError struct {
	// Location is the refused target, without its query string.
	Location string
	// Reason says why the target was refused.
	Reason string
	// NextLink is true when the target is a list's next link rather than an
	// HTTP redirect.
	NextLink bool
}

// Error names the refused target, without its query string, and the reason.
func (e *RedirectError) Error() string {
	if e.NextLink {
		return "refused to follow the next link " + e.Location + ": " + e.Reason
	}
	return "refused a redirect to " + e.Location + ": " + e.Reason
}
