package core

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	c := &Client{policy: RetryPolicy{MinWait: 10 * time.Millisecond, MaxWait: 70 * time.Millisecond}.withDefaults()}
	for n, full := range []time.Duration{10, 20, 40, 70, 70, 70} {
		full *= time.Millisecond
		seen := map[time.Duration]bool{}
		for range 200 {
			d := c.backoff(n)
			if d < full/2 || d > full {
				t.Fatalf("retry %d waited %v, want within [%v, %v]", n, d, full/2, full)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("retry %d: only %d distinct waits in 200; no jitter?", n, len(seen))
		}
	}
	if d := c.backoff(1000); d > 70*time.Millisecond {
		t.Errorf("a late retry waited %v", d)
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	if p.MaxRetries != DefaultMaxRetries || p.MinWait != DefaultMinWait || p.MaxWait != DefaultMaxWait || p.MaxRetryAfter != DefaultMaxRetryAfter {
		t.Errorf("defaults = %+v", p)
	}
	if p := (RetryPolicy{MaxRetries: -1}).withDefaults(); p.MaxRetries != 0 {
		t.Errorf("negative MaxRetries gave %d retries", p.MaxRetries)
	}
	if p := (RetryPolicy{MinWait: time.Second, MaxWait: time.Millisecond}).withDefaults(); p.MaxWait != time.Second {
		t.Errorf("MaxWait below MinWait kept: %v", p.MaxWait)
	}
}

func TestSanitizeDropsQueryAndUserInfo(t *testing.T) {
	err := sanitize(&url.Error{Op: "Get", URL: "https://user:pw@api.test/api/x?token=abc#frag", Err: errors.New("boom")})
	if s := err.Error(); strings.Contains(s, "abc") || strings.Contains(s, "pw") || !strings.Contains(s, "https://api.test/api/x") {
		t.Errorf("sanitized = %q", s)
	}
	if got := redact("::not a url?secret"); strings.Contains(got, "secret") {
		t.Errorf("redact of an unparsable URL = %q", got)
	}
}

func TestRequestURLKeepsEscapes(t *testing.T) {
	base, _ := url.Parse("https://api.test/api/")
	c, err := New(Config{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"accounts/countries/%2E%2E": "https://api.test/api/accounts/countries/%2E%2E",
		"accounts/countries/..%2Fx": "https://api.test/api/accounts/countries/..%2Fx",
		"accounts/users/a%3Fb%23c/": "https://api.test/api/accounts/users/a%3Fb%23c/",
	} {
		u, err := c.URL(&Request{Path: path})
		if err != nil || u.String() != want {
			t.Errorf("%s: %v %v", path, u, err)
		}
	}
	for _, bad := range []string{"/abs", "a?b", "a#b"} {
		if _, err := c.URL(&Request{Path: bad}); err == nil {
			t.Errorf("path %q accepted", bad)
		}
	}
	for _, raw := range []string{"https://api.test/api/x", "HTTPS://API.TEST/api/x/y", "https://api.test/api/x..y/...", "https://api.test/api/a%2Fb"} {
		u, _ := url.Parse(raw)
		if !c.SameBase(u) {
			t.Errorf("%s not on the base", raw)
		}
	}
	for _, raw := range []string{"http://api.test/api/x", "https://api.test:444/api/x", "https://api.test/apix", "https://u@api.test/api/x", "https://evil.test/api/x",
		"https://api.test/api/../admin", "https://api.test/api/%2e%2e/admin", "https://api.test/api/x/..%2F..%2Fadmin",
		"https://api.test/api/.", "https://api.test/api/x/..\\..\\admin", "https://api.test/api/%2E%2E%5C/admin"} {
		u, _ := url.Parse(raw)
		if c.SameBase(u) {
			t.Errorf("%s counted as on the base", raw)
		}
	}
}

// TestEveryAttemptHasADeadlineByDefault: with no AttemptTimeout, each
// attempt goes through the deadline layer with DefaultAttemptTimeout, for a
// caller's client too; a shorter caller's Timeout is kept as it is.
func TestEveryAttemptHasADeadlineByDefault(t *testing.T) {
	u, _ := url.Parse("https://api.test/api/")
	for name, hc := range map[string]*http.Client{"own client": nil, "caller's client": {}, "caller's short timeout": {Timeout: time.Second}} {
		c, err := New(Config{BaseURL: u, HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []*http.Client{c.follow, c.report} {
			tr, ok := h.Transport.(*transport)
			if !ok || tr.timeout != DefaultAttemptTimeout {
				t.Errorf("%s: transport %T, want the deadline layer with %v", name, h.Transport, DefaultAttemptTimeout)
			}
			if hc != nil && h.Timeout != hc.Timeout {
				t.Errorf("%s: Timeout %v, want the caller's %v", name, h.Timeout, hc.Timeout)
			}
		}
	}
}
