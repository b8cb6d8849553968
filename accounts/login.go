package accounts

import (
	"context"
	"net/url"

	"github.com/coolset-go/sdk/internal/apierror"
	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/once"
	"github.com/coolset-go/sdk/internal/validate"
)

// MaxLoginEmailLength is the longest address LoginURL accepts, the most an
// email address can hold.
const MaxLoginEmailLength = 254

// LoginParams is the server's answer to LoginURL.
type LoginParams struct {
	// Params holds the login parameters (the login hint URL and the account
	// identifier), or, when several users share the email address, the route
	// saying that the account must be entered by hand. The API documents the
	// field as an opaque string; the SDK passes it on unchanged.
	Params string `json:"params"`
}

// LoginURL asks the server for the parameters to log in with the given email
// address (POST accounts/login_url/). An address that is not one valid mailbox
// is refused before sending (field "email"); the server checks it again and
// answers 400.
func (c *Client) LoginURL(ctx context.Context, email string, opts ...RequestOption) (*LoginParams, error) {
	if err := validate.Email("email", email, MaxLoginEmailLength); err != nil {
		return nil, err
	}
	body := struct {
		Email string `json:"email"`
	}{email}
	return once.Call[LoginParams](ctx, c.core, "POST", endpoints.LoginURL, body, opts)
}

// PortalResult is the server's answer to Portal.
type PortalResult struct {
	// StatusCode is the HTTP status of the answer: 200, or a 3xx redirect.
	StatusCode int
	// Location is the absolute URL the server redirected to, which the SDK did
	// not follow (it may be on another host, where the credentials must not
	// go); "" when the server answered 200.
	Location string
}

// Portal calls the account portal endpoint (GET accounts/portal/). The server
// answers 200 without a body, or redirects; a redirect is not followed, and its
// target is reported in PortalResult.Location for the caller to open (in a
// browser, typically). A redirect without a Location header, or with one that
// is not a URL, is an *Error with the answer's status and headers, like any
// answer the SDK cannot use.
func (c *Client) Portal(ctx context.Context, opts ...RequestOption) (*PortalResult, error) {
	resp, err := c.core.Do(ctx, &core.Request{Method: "GET", Path: endpoints.Portal, NoRedirect: true}, nil, opts)
	if err != nil {
		return nil, err
	}
	out := &PortalResult{StatusCode: resp.StatusCode}
	if resp.StatusCode < 300 {
		return out, nil
	}
	portal := c.core.BaseURL().ResolveReference(&url.URL{Path: endpoints.Portal})
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, unusableAnswer("GET", portal, resp, "a redirect without a Location header")
	}
	u, err := url.Parse(loc)
	if err != nil {
		return nil, unusableAnswer("GET", portal, resp, "a redirect to an unreadable Location")
	}
	out.Location = portal.ResolveReference(u).String()
	return out, nil
}

// unusableAnswer is the error of an answer the SDK cannot use, made as every
// call's *Error is (apierror.New: status, headers, Retry-After, the escaped
// path without query), with detail saying what was wrong. The body was not
// read, so it has none.
func unusableAnswer(method string, u *url.URL, resp core.Response, detail string) *Error {
	e := apierror.New(method, u.EscapedPath(), resp.StatusCode, resp.Header, nil)
	e.Detail = detail
	return e
}
