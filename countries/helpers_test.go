package countries_test

import (
	"net/url"
	"testing"

	"github.com/coolset-go/sdk/internal/sdktest"
	"github.com/jarcoal/httpmock"
)

// The helpers shared with accounts' tests live in internal/sdktest; these are
// the names the tests were written with.
var (
	newMockClient = sdktest.NewMockClient
	checkRefused  = sdktest.CheckRefused
	fixture       = sdktest.Fixture
)

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
	sdktest.Expect(t, mt, sdktest.Want{Method: w.method, Path: w.path, Query: w.query, Body: w.body}, status, answer)
}
