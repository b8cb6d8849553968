package core

import (
	"errors"
	"strings"

	"golang.org/x/oauth2"
)

// tokenSource wraps the caller's source for the transport: its tokens are
// checked (a nil token would panic inside oauth2), cached until they expire,
// and its failures marked final.
func tokenSource(src oauth2.TokenSource) oauth2.TokenSource {
	checked := oauth2.TokenSource(checkedTokenSource{src})
	if oauth2.ReuseTokenSource(nil, src) != src {
		// Not a cache yet. One that is (what oauth2.Config and
		// clientcredentials give) is not wrapped in a second: that would write
		// to tokens the caller's cache owns and reset its early refresh.
		checked = oauth2.ReuseTokenSource(nil, checked)
	}
	return markedTokenSource{checked}
}

// markedTokenSource marks its errors so that a failed token fetch is final,
// never retried.
type markedTokenSource struct{ src oauth2.TokenSource }

func (m markedTokenSource) Token() (*oauth2.Token, error) {
	t, err := m.src.Token()
	if err != nil {
		return nil, &tokenError{err: err}
	}
	return t, nil
}

// checkedTokenSource refuses a token that cannot authenticate a request.
type checkedTokenSource struct{ src oauth2.TokenSource }

func (c checkedTokenSource) Token() (*oauth2.Token, error) {
	t, err := c.src.Token()
	switch {
	case err != nil:
		return nil, err
	case t == nil || t.AccessToken == "":
		return nil, errors.New("the token source returned no token")
	case !ValidHeaderValue(t.AccessToken) || !ValidHeaderValue(t.Type()):
		// Never quote the token: the reason is enough.
		return nil, errors.New("the token holds characters an HTTP header cannot carry")
	}
	return t, nil
}

// tokenError is a failure of the token source.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "getting a token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// ValidHeaderName reports whether name can be sent as an HTTP header name: a
// non-empty token of the characters RFC 9110 allows.
func ValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// ValidHeaderValue reports whether v can be sent as an HTTP header value: no
// control characters other than a tab. net/http refuses other values only
// when sending, where the failure would look like a broken connection.
func ValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
