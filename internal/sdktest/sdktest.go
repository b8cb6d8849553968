// Package sdktest holds the helpers the SDK's unit tests share: a client whose
// HTTP client answers from httpmock, responders that check each request
// exactly (method, path, query, headers, body), fixtures and refused-input
// checks. It is imported only by _test files (accounts' and each resource
// package's), which is why it, alone of the internal packages, may import
// accounts.
package sdktest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/jarcoal/httpmock"
)

// Base is the base URL of clients built by NewMockClient.
const Base = "https://api.test/api/"

// Key is the API key of clients built by NewMockClient.
const Key = "test-key-123"

// FastRetries makes retry tests wait milliseconds, not seconds.
var FastRetries = accounts.RetryPolicy{MaxRetries: accounts.Ptr(3), MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

// NewMockClient returns a client whose own HTTP client sends to a fresh
// httpmock transport (never http.DefaultTransport); any request without a
// responder fails the test. opts come after the defaults (Base, Key,
// FastRetries), so they win.
func NewMockClient(t *testing.T, opts ...accounts.Option) (*accounts.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	base := []accounts.Option{
		accounts.WithBaseURL(Base),
		accounts.WithAPIKey(Key),
		accounts.WithHTTPClient(&http.Client{Transport: mt}),
		accounts.WithRetryPolicy(FastRetries),
	}
	c, err := accounts.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// Sample ids the tests of several packages share.
const (
	// UserUUID is the sample user's UUID.
	UserUUID = "9b2f3c1e-8d4a-4c1b-9e7f-2a6d5c4b3a21"
	// OrgUUID is the sample organization's UUID.
	OrgUUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
	// OrgJSON is the sample organization as the server sends it.
	OrgJSON = `{"uuid":"` + OrgUUID + `","name":"Green Harbor","slug":"green-harbor","account_portal_url":"https://portal.example.com/green-harbor"}`
)

// Want describes the request a responder expects.
type Want struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped path, from the host on.
	Path string
	// Query is the exact query; nil means none.
	Query url.Values
	// Body is the JSON the body must equal; "" means no body.
	Body string
}

// Expect registers a responder for w that checks every request against it
// (method, path, query, headers, body) and answers status with a JSON body.
func Expect(t *testing.T, mt *httpmock.MockTransport, w Want, status int, answer string) {
	t.Helper()
	mt.RegisterResponder(w.Method, "=~^https://api\\.test"+regexp.QuoteMeta(w.Path)+`(\?.*)?$`,
		func(req *http.Request) (*http.Response, error) {
			CheckRequest(t, req, w)
			resp := httpmock.NewStringResponse(status, answer)
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		})
}

// CheckRequest asserts that req matches w and carries the SDK's headers.
func CheckRequest(t *testing.T, req *http.Request, w Want) {
	t.Helper()
	if req.Method != w.Method {
		t.Errorf("method = %s, want %s", req.Method, w.Method)
	}
	if got := req.URL.EscapedPath(); got != w.Path {
		t.Errorf("path = %s, want %s", got, w.Path)
	}
	gotQ := req.URL.Query()
	if len(gotQ) == 0 {
		gotQ = nil
	}
	if !reflect.DeepEqual(gotQ, w.Query) {
		t.Errorf("query = %v, want %v", gotQ, w.Query)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+Key {
		t.Errorf("Authorization header is wrong (len %d)", len(got))
	}
	if got := req.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	if got := req.Header.Get("User-Agent"); got != "coolset-go-sdk/"+accounts.Version+" (accounts)" {
		t.Errorf("User-Agent = %q", got)
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	if w.Body == "" {
		if len(body) != 0 {
			t.Errorf("body = %s, want none", body)
		}
		if ct := req.Header.Get("Content-Type"); ct != "" {
			t.Errorf("Content-Type = %q on a request without body", ct)
		}
		return
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if !jsonEqual(t, body, []byte(w.Body)) {
		t.Errorf("body = %s, want %s", body, w.Body)
	}
}

// jsonEqual reports whether a and b are the same JSON value; a that is not
// JSON fails the test, as does b (the expectation).
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Errorf("body is not JSON: %v", err)
		return false
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	return reflect.DeepEqual(x, y)
}

// Fixture reads a file under the testing package's testdata directory.
func Fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// CheckRefused runs call on a fresh mock client and asserts that it was
// refused before sending, with an error naming each of the space-separated
// fields.
func CheckRefused(t *testing.T, fields string, call func(c *accounts.Client) error) {
	t.Helper()
	c, mt := NewMockClient(t)
	err := call(c)
	if !errors.Is(err, accounts.ErrInvalid) {
		t.Fatalf("err = %v, want an input error", err)
	}
	for _, f := range strings.Fields(fields) {
		if !strings.Contains(err.Error(), "invalid "+f+":") {
			t.Errorf("err = %v, want it to name %s", err, f)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
