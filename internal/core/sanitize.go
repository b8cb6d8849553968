package core

import (
	"errors"
	"net/url"
	"strings"
)

// sanitize removes query strings and user info from URLs quoted by err.
//
// The error inside may quote a URL too: a *url.Error is redacted in turn, and
// net/http's report of a Location header that does not parse, which quotes
// the header whole, is replaced by one that does not.
func sanitize(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	inner := ue.Err
	var innerURL *url.Error
	switch {
	case errors.As(inner, &innerURL):
		inner = sanitize(innerURL)
	case strings.Contains(inner.Error(), "failed to parse Location header"):
		inner = errors.New("the redirect's Location header does not parse (not quoted: it may hold secrets)")
	}
	return &url.Error{Op: ue.Op, URL: redact(ue.URL), Err: inner}
}

// redact returns a URL without its query, fragment and user info.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			return raw[:i]
		}
		return raw
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.User = "", "", "", nil
	return u.String()
}
