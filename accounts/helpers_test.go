package accounts_test

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

// testBase is the base URL of clients built by newMockClient.
const testBase = "https://api.test/api/"

// testKey is the API key of clients built by newMockClient.
const testKey = "test-key-123"

// fastRetries makes retry tests wait milliseconds, not seconds.
var fastRetries = accounts.RetryPolicy{MaxRetries: accounts.Ptr(3), MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

// newMockClient returns a client whose own HTTP client sends to a fresh
// httpmock transport; any request without a responder fails the test.
func newMockClient(t *testing.T, opts ...accounts.Option) (*accounts.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	base := []accounts.Option{
		accounts.WithBaseURL(testBase),
		accounts.WithAPIKey(testKey),
		accounts.WithHTTPClient(&http.Client{Transport: mt}),
		accounts.WithRetryPolicy(fastRetries),
	}
	c, err := accounts.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// want describes the request a responder expects.
type want struct {
	method string
	path   string     // escaped path, from the host on
	query  url.Values // exact query; nil means none
	body   string     // JSON the body must equal; "" means no body
}

// expect registers a responder for w that checks every request against it
// (method, path, query, headers, body) and answers status with body.
func expect(t *testing.T, mt *httpmock.MockTransport, w want, status int, answer string) {
	t.Helper()
	mt.RegisterResponder(w.method, "=~^https://api\\.test"+regexp.QuoteMeta(w.path)+`(\?.*)?$`,
		func(req *http.Request) (*http.Response, error) {
			checkRequest(t, req, w)
			resp := httpmock.NewStringResponse(status, answer)
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		})
}

// checkRequest asserts that req matches w and carries the SDK's headers.
func checkRequest(t *testing.T, req *http.Request, w want) {
	t.Helper()
	if req.Method != w.method {
		t.Errorf("method = %s, want %s", req.Method, w.method)
	}
	if got := req.URL.EscapedPath(); got != w.path {
		t.Errorf("path = %s, want %s", got, w.path)
	}
	gotQ := req.URL.Query()
	if len(gotQ) == 0 {
		gotQ = nil
	}
	if !reflect.DeepEqual(gotQ, w.query) {
		t.Errorf("query = %v, want %v", gotQ, w.query)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testKey {
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
	if w.body == "" {
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
	if !jsonEqual(t, body, []byte(w.body)) {
		t.Errorf("body = %s, want %s", body, w.body)
	}
}

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

// fixture reads a file under testdata.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkRefused runs call on a fresh mock client and asserts that it was
// refused before sending, with an error naming each of the space-separated
// fields.
func checkRefused(t *testing.T, fields string, call func(c *accounts.Client) error) {
	t.Helper()
	c, mt := newMockClient(t)
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
