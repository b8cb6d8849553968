package accounts_test

// The contract check: every end-to-end test sends its requests through a
// transport that validates each request and each answer against the OpenAPI
// document at the module root (openapi.yaml), and TestMain fails a full run
// when some operation of the document was never exercised with a successful
// answer.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// contractPath is the OpenAPI document, relative to this package's directory.
const contractPath = "../openapi.yaml"

var (
	contractOnce   sync.Once
	contractDoc    *openapi3.T
	contractRouter routers.Router
	contractErr    error

	// exercised holds the operationIds that answered with a status below 400
	// through a validating transport, so that each success schema was checked.
	exercisedMu sync.Mutex
	exercised   = map[string]bool{}
	// lateViolations are violations seen after their test had finished;
	// TestMain reports them.
	lateViolations []string
)

// loadContract loads and validates openapi.yaml once. The router is built from
// a copy of the document without servers, so it matches paths from the root:
// the transport strips each client's base path (which differs per test server)
// before routing. Without servers gorillamux also ignores host and scheme.
func loadContract() (*openapi3.T, routers.Router, error) {
	contractOnce.Do(func() {
		// Short errors: the failing location and reason, without the schema
		// and value dumps.
		openapi3.SchemaErrorDetailsDisabled = true
		// kin-openapi checks only date, date-time, byte and the integer formats
		// by default; check the formats this document relies on too.
		openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122))
		openapi3.DefineStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
			u, err := url.Parse(s)
			if err != nil || !u.IsAbs() || u.Host == "" {
				return fmt.Errorf("not an absolute URI: %q", s)
			}
			return nil
		}))
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(contractPath)
		if err != nil {
			contractErr = fmt.Errorf("loading %s: %w", contractPath, err)
			return
		}
		if err := doc.Validate(loader.Context, openapi3.EnableSchemaFormatValidation()); err != nil {
			contractErr = fmt.Errorf("%s is not a valid OpenAPI document: %w", contractPath, err)
			return
		}
		rootDoc := *doc
		rootDoc.Servers = nil
		router, err := gorillamux.NewRouter(&rootDoc)
		if err != nil {
			contractErr = fmt.Errorf("routing %s: %w", contractPath, err)
			return
		}
		contractDoc, contractRouter = doc, router
	})
	return contractDoc, contractRouter, contractErr
}

// contractOption changes what a validating transport tolerates.
type contractOption func(*validatingTransport)

// allowInvalidQuery tolerates request violations of the query parameter name:
// for tests that deliberately send a value the document forbids, to check the
// server's refusal. Every other check still applies.
func allowInvalidQuery(name string) contractOption {
	return func(vt *validatingTransport) { vt.allowQuery = append(vt.allowQuery, name) }
}

// validatingTransport is an http.RoundTripper that checks each exchange against
// openapi.yaml. It sits below the SDK's retry and auth layers, so it sees every
// attempt with its Authorization header. It never fails a request itself (a
// transport error would be retried): it records violations and reports them on
// the test with t.Errorf. It never prints header values.
type validatingTransport struct {
	errorf     func(format string, args ...any) // t.Errorf
	next       http.RoundTripper
	basePath   string // the client's base URL path, e.g. "/api/"
	exercise   func(operationID string)
	router     routers.Router
	allowQuery []string

	mu   sync.Mutex
	done bool // the test has finished; later violations go to lateViolations
}

// contractHTTPClient returns an HTTP client whose transport validates every
// exchange with the API at baseURL against openapi.yaml, reporting violations
// on t. It fails t at once if the document does not load.
func contractHTTPClient(t *testing.T, baseURL string, opts ...contractOption) *http.Client {
	t.Helper()
	_, router, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	vt := &validatingTransport{errorf: t.Errorf, next: http.DefaultTransport, basePath: base.EscapedPath(), router: router, exercise: markExercised}
	for _, o := range opts {
		o(vt)
	}
	t.Cleanup(func() {
		vt.mu.Lock()
		vt.done = true
		vt.mu.Unlock()
	})
	return &http.Client{Transport: vt}
}

// report records one violation of the request req.
func (vt *validatingTransport) report(req *http.Request, format string, args ...any) {
	msg := fmt.Sprintf("contract: %s %s: %s", req.Method, req.URL.EscapedPath(), fmt.Sprintf(format, args...))
	vt.mu.Lock()
	defer vt.mu.Unlock()
	if vt.done {
		exercisedMu.Lock()
		lateViolations = append(lateViolations, msg)
		exercisedMu.Unlock()
		return
	}
	vt.errorf("%s", msg)
}

// RoundTrip validates req, sends it, and validates the answer.
func (vt *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	// The request that is sent gets its own copy of the body, as does the one
	// that is validated: validation reads the body.
	out := req.Clone(req.Context())
	if body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}

	route, in := vt.checkRequest(req, body)

	resp, err := vt.next.RoundTrip(out)
	if err != nil || route == nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	if resp.StatusCode < 400 {
		vt.exercise(route.Operation.OperationID)
	}
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		// 5xx answers are not part of the contract; every other status must be
		// documented for the operation.
		Options: &openapi3filter.Options{IncludeResponseStatus: resp.StatusCode < 500, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), rin); err != nil {
		vt.report(req, "answer %d does not match the document: %v", resp.StatusCode, err)
	}
	return resp, nil
}

// checkRequest routes req (relative to the client's base path) and validates
// it, reporting violations. It returns the route (nil if none matched) and the
// validation input the answer is checked with.
func (vt *validatingTransport) checkRequest(req *http.Request, body []byte) (*routers.Route, *openapi3filter.RequestValidationInput) {
	rel, ok := strings.CutPrefix(req.URL.EscapedPath(), vt.basePath)
	if !ok || req.URL.Host == "" {
		vt.report(req, "request outside the client's base path %s", vt.basePath)
		return nil, nil
	}
	vreq := req.Clone(req.Context())
	vreq.URL.RawPath = "/" + rel
	p, err := url.PathUnescape(vreq.URL.RawPath)
	if err != nil {
		vt.report(req, "path does not unescape: %v", err)
		return nil, nil
	}
	vreq.URL.Path = p
	if body != nil {
		vreq.Body = io.NopCloser(bytes.NewReader(body))
		vreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	route, params, err := vt.router.FindRoute(vreq)
	if err != nil {
		vt.report(req, "no operation in the document: %v", err)
		return nil, nil
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    vreq,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			AuthenticationFunc:  checkBearer,
		},
	}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		for _, e := range vt.unexpected(err) {
			vt.report(req, "request does not match operation %s: %v", route.Operation.OperationID, e)
		}
	}
	// kin-openapi does not report query parameters the operation lacks.
	for name := range req.URL.Query() {
		if !declaresQuery(route, name) && !slices.Contains(vt.allowQuery, name) {
			vt.report(req, "query parameter %q is not a parameter of operation %s", name, route.Operation.OperationID)
		}
	}
	return route, in
}

// unexpected splits a validation error into its parts and drops those about
// the query parameters the transport was told to tolerate.
func (vt *validatingTransport) unexpected(err error) []error {
	var parts []error
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		parts = multi
	} else {
		parts = []error{err}
	}
	var out []error
	for _, e := range parts {
		var re *openapi3filter.RequestError
		if errors.As(e, &re) && re.Parameter != nil && re.Parameter.In == openapi3.ParameterInQuery && slices.Contains(vt.allowQuery, re.Parameter.Name) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// declaresQuery reports whether the route's operation or path item declares
// the query parameter name.
func declaresQuery(route *routers.Route, name string) bool {
	for _, params := range []openapi3.Parameters{route.Operation.Parameters, route.PathItem.Parameters} {
		if p := params.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
			return true
		}
	}
	return false
}

// checkBearer is the AuthenticationFunc of the bearerAuth scheme: the request
// must carry "Authorization: Bearer <credential>". The credential itself is
// never looked at beyond being non-empty, and never appears in an error.
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "http" || !strings.EqualFold(in.SecurityScheme.Scheme, "bearer") {
		return fmt.Errorf("security scheme %q is not http bearer", in.SecuritySchemeName)
	}
	scheme, credential, _ := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(credential) == "" {
		return errors.New("the Authorization header does not carry a Bearer credential")
	}
	return nil
}

// markExercised adds an operation to the package's exercised set.
func markExercised(operationID string) {
	exercisedMu.Lock()
	exercised[operationID] = true
	exercisedMu.Unlock()
}

// documentOperations returns every operation of the document as
// "operationId (METHOD path)", keyed by operationId.
func documentOperations(doc *openapi3.T) map[string]string {
	ops := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[op.OperationID] = fmt.Sprintf("%s (%s %s)", op.OperationID, method, path)
		}
	}
	return ops
}

// unexercised returns the operations of the document no end-to-end test
// exercised with a successful answer, sorted.
func unexercised(doc *openapi3.T) []string {
	exercisedMu.Lock()
	defer exercisedMu.Unlock()
	var missing []string
	for id, desc := range documentOperations(doc) {
		if !exercised[id] {
			missing = append(missing, desc)
		}
	}
	slices.Sort(missing)
	return missing
}

// fullRun reports whether every test of the package ran: no -run, -skip or
// -list filter.
func fullRun() bool {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return true
}

// TestMain runs the package's tests and then, on a full run, fails when an
// operation of openapi.yaml was not exercised by any end-to-end test, or when
// a violation arrived after its test had finished.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	exercisedMu.Lock()
	late := slices.Clone(lateViolations)
	exercisedMu.Unlock()
	for _, v := range late {
		fmt.Fprintln(os.Stderr, "after its test finished:", v)
		code = 1
	}
	if code == 0 && fullRun() {
		doc, _, err := loadContract()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if missing := unexercised(doc); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %d operations of %s are not exercised by any end-to-end test with a successful answer:\n", len(missing), contractPath)
			for _, m := range missing {
				fmt.Fprintln(os.Stderr, "\t"+m)
			}
			code = 1
		}
	}
	os.Exit(code)
}

// TestContractTransportReportsViolations checks that the validating transport
// reports each kind of violation, passes valid exchanges, and never shows the
// credential.
func TestContractTransportReportsViolations(t *testing.T) {
	_, router, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	const country = `{"name":"Netherlands","alpha_2":"NL","alpha_3":"NLD","numeric":"528","official_name":null,"flag":null}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("answer") {
		case "bad":
			_, _ = io.WriteString(w, `[{"name":1}]`)
		case "teapot":
			w.WriteHeader(http.StatusTeapot)
			_, _ = io.WriteString(w, `{"detail":"short and stout"}`)
		case "500":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `oops`)
		default:
			if strings.HasSuffix(r.URL.Path, "/countries") || strings.HasSuffix(r.URL.Path, "/workspaces") {
				_, _ = io.WriteString(w, `{"count":0,"next":null,"previous":null,"results":[]}`)
				return
			}
			_, _ = io.WriteString(w, country)
		}
	}))
	defer srv.Close()

	const secret = "contract-secret-token"
	cases := []struct {
		name, method, path, auth, body string
		allow                          []string
		want                           string // "" for no violation
	}{
		{"valid", "GET", "accounts/countries/NL", "Bearer " + secret, "", nil, ""},
		{"valid list", "GET", "accounts/countries?limit=5&offset=0", "Bearer " + secret, "", nil, ""},
		{"bad query type", "GET", "accounts/countries?limit=abc", "Bearer " + secret, "", nil, `parameter "limit"`},
		{"unknown query", "GET", "accounts/countries?limt=5", "Bearer " + secret, "", nil, `query parameter "limt" is not a parameter`},
		{"bad answer", "GET", "accounts/countries?answer=bad", "Bearer " + secret, "", nil, "answer 200 does not match"},
		{"undocumented status", "GET", "accounts/countries/NL?answer=teapot", "Bearer " + secret, "", []string{"answer"}, "answer 418 does not match"},
		{"5xx is not checked", "GET", "accounts/countries/NL?answer=500", "Bearer " + secret, "", []string{"answer"}, ""},
		{"no bearer", "GET", "accounts/countries/NL", "Basic " + secret, "", nil, "security requirements failed"},
		{"trailing slash", "GET", "accounts/countries/", "Bearer " + secret, "", nil, "no operation in the document"},
		{"wrong method", "DELETE", "accounts/countries/NL", "Bearer " + secret, "", nil, "no operation in the document"},
		{"bad body", "POST", "accounts/organizations/", "Bearer " + secret, `{"name":"x","slug":"no spaces"}`, nil, "request body has an error"},
		{"unknown body member", "POST", "accounts/organizations/", "Bearer " + secret, `{"name":"x","slug":"x","nmae":"y"}`, nil, "request body has an error"},
		{"bad enum", "GET", "accounts/workspaces?type=archived", "Bearer " + secret, "", nil, `parameter "type"`},
		{"bad enum allowed", "GET", "accounts/workspaces?type=archived", "Bearer " + secret, "", []string{"type"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			var ran []string
			vt := &validatingTransport{
				errorf:   func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) },
				next:     http.DefaultTransport,
				basePath: "/api/",
				router:   router,
				exercise: func(id string) { ran = append(ran, id) },
			}
			for _, name := range tc.allow {
				allowInvalidQuery(name)(vt)
			}
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequest(tc.method, srv.URL+"/api/"+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", tc.auth)
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := (&http.Client{Transport: vt}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil || len(b) == 0 {
				t.Errorf("the answer's body was not passed on: %q, %v", b, err)
			}
			joined := strings.Join(got, "\n")
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("unexpected violations:\n%s", joined)
			case tc.want != "" && !strings.Contains(joined, tc.want):
				t.Errorf("violations %q do not mention %q", joined, tc.want)
			}
			if strings.Contains(joined, secret) {
				t.Errorf("a violation shows the credential: %s", joined)
			}
			if tc.name == "valid" && !slices.Equal(ran, []string{"getCountry"}) {
				t.Errorf("exercised %v, want [getCountry]", ran)
			}
		})
	}
}

// TestContractDocumentMatchesEndpoints checks that openapi.yaml has exactly
// the operations of endpoints.Operations, numbered as there in their
// summaries, at the paths the SDK uses. With TestMain's check that every
// operation of the document is exercised, an operation of the table without
// a contract check fails the package's tests.
func TestContractDocumentMatchesEndpoints(t *testing.T) {
	doc, _, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	ids := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var n int
			if _, err := fmt.Sscanf(op.Summary, "op %d ", &n); err != nil {
				t.Errorf("%s %s: summary %q does not start with its number", method, path, op.Summary)
				continue
			}
			if prev, dup := got[n]; dup {
				t.Errorf("op %d is both %s and %s %s", n, prev, method, path)
			}
			got[n] = method + " " + strings.TrimPrefix(path, "/")
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s %s: missing or repeated operationId %q", method, path, op.OperationID)
			}
			ids[op.OperationID] = true
		}
	}
	for _, op := range endpoints.Operations {
		if got[op.N] != op.String() {
			t.Errorf("op %d: %s has %q, the SDK's table (internal/endpoints) has %q", op.N, contractPath, got[op.N], op.String())
		}
		delete(got, op.N)
	}
	for n, desc := range got {
		t.Errorf("op %d (%s) of %s is not in the SDK's table (internal/endpoints)", n, desc, contractPath)
	}
}
