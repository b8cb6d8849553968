package accounts_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/jarcoal/httpmock"
)

// The helpers shared with the resource packages' tests live in
// internal/sdktest; these are their names in this package's tests.

// testBase is the base URL of clients built by newMockClient.
const testBase = sdktest.Base

// testKey is the API key of clients built by newMockClient.
const testKey = sdktest.Key

// fastRetries makes retry tests wait milliseconds, not seconds.
var fastRetries = sdktest.FastRetries

// newMockClient returns a client whose own HTTP client sends to a fresh
// httpmock transport; any request without a responder fails the test.
var newMockClient = sdktest.NewMockClient

// fixture reads a file under testdata.
var fixture = sdktest.Fixture

// checkRefused runs call on a fresh mock client and asserts that it was
// refused before sending, with an error naming each of the space-separated
// fields.
var checkRefused = sdktest.CheckRefused

// Sample ids shared with the resource packages' tests.
const (
	userUUID = sdktest.UserUUID
	orgUUID  = sdktest.OrgUUID
	orgJSON  = sdktest.OrgJSON
)

// want describes the request a responder expects.
type want struct {
	method string
	path   string     // escaped path, from the host on
	query  url.Values // exact query; nil means none
	body   string     // JSON the body must equal; "" means no body
}

func (w want) std() sdktest.Want {
	return sdktest.Want{Method: w.method, Path: w.path, Query: w.query, Body: w.body}
}

// expect registers a responder for w that checks every request against it
// (method, path, query, headers, body) and answers status with body.
func expect(t *testing.T, mt *httpmock.MockTransport, w want, status int, answer string) {
	t.Helper()
	sdktest.Expect(t, mt, w.std(), status, answer)
}

// checkRequest asserts that req matches w and carries the SDK's headers.
func checkRequest(t *testing.T, req *http.Request, w want) {
	t.Helper()
	sdktest.CheckRequest(t, req, w.std())
}
