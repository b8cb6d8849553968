package apierror

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNewParsesDRFShapes(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		detail string
		code   string
		fields map[string][]string
	}{
		{"detail", `{"detail":"Not found."}`, "Not found.", "", nil},
		{"detail and code", `{"detail":"Invalid token.","code":"token_not_valid"}`, "Invalid token.", "token_not_valid", nil},
		{"field map", `{"email":["Enter a valid email address.","Too long."],"auth_group":["A valid integer is required."]}`, "", "",
			map[string][]string{"email": {"Enter a valid email address.", "Too long."}, "auth_group": {"A valid integer is required."}}},
		{"non_field_errors", `{"non_field_errors":["Owners cannot be invited."]}`, "", "",
			map[string][]string{"non_field_errors": {"Owners cannot be invited."}}},
		{"bare list", `["A pending invitation already exists."]`, "", "",
			map[string][]string{"non_field_errors": {"A pending invitation already exists."}}},
		{"bare string", `"Something went wrong."`, "Something went wrong.", "", nil},
		{"field as string", `{"slug":"Already taken."}`, "", "", map[string][]string{"slug": {"Already taken."}}},
		{"nested object", `{"company":{"country":["Invalid code."]}}`, "", "", map[string][]string{"company.country": {"Invalid code."}}},
		{"list of objects", `{"members":[{},{"email":["Bad."]}]}`, "", "", map[string][]string{"members[1].email": {"Bad."}}},
		{"detail not a string", `{"detail":{"reason":["x"]}}`, "", "", map[string][]string{"detail.reason": {"x"}}},
		{"numbers", `{"limit":[5]}`, "", "", map[string][]string{"limit": {"5"}}},
		{"html", "<html>\n<body><h1>502 Bad Gateway</h1></body>\n</html>", "<html> <body><h1>502 Bad Gateway</h1></body> </html>", "", nil},
		{"empty", ``, "", "", nil},
		{"number", `42`, "42", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := New("POST", "/api/accounts/invite/", 400, http.Header{}, []byte(tc.body))
			if e.Detail != tc.detail || e.Code != tc.code || !reflect.DeepEqual(e.FieldErrors, tc.fields) {
				t.Errorf("got detail %q code %q fields %v", e.Detail, e.Code, e.FieldErrors)
			}
			if string(e.Body) != tc.body {
				t.Errorf("body not kept")
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	e := New("POST", "/api/x/", 400, http.Header{"Retry-After": {"3"}}, []byte(`{"detail":"Bad.","b":["two"],"a":["one","more"]}`))
	want := "accounts: POST /api/x/: 400 Bad Request: Bad.; a: one more; b: two (retry after 3s)"
	if got := e.Error(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	e = New("GET", "/api/y", 404, http.Header{}, nil)
	if got := e.Error(); got != "accounts: GET /api/y: 404 Not Found" {
		t.Errorf("got %q", got)
	}
}

func TestErrorMessageIsOneLine(t *testing.T) {
	e := New("GET", "/p", 400, http.Header{}, []byte(`{"detail":"bad\nFAKE LOG LINE\u001b[31m","na\rme":["x\u2028y"]}`))
	want := "accounts: GET /p: 400 Bad Request: bad FAKE LOG LINE [31m; na me: x y"
	if got := e.Error(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if e.Detail != "bad\nFAKE LOG LINE\x1b[31m" {
		t.Errorf("Detail changed: %q", e.Detail)
	}
}

func TestExcerptIsBounded(t *testing.T) {
	body := []byte("<html>" + strings.Repeat("é", 10000) + "</html>")
	e := New("GET", "/p", 502, http.Header{}, body)
	if n := len(e.Detail); n > maxExcerpt+3 || !strings.HasSuffix(e.Detail, "...") {
		t.Errorf("excerpt of %d bytes: %q", n, e.Detail[:20])
	}
	if !strings.HasPrefix(e.Detail, "<html>é") {
		t.Errorf("excerpt = %q", e.Detail[:20])
	}
	if got := Excerpt([]byte("a\x00\xffb")); got != "a\x00?b" {
		t.Errorf("invalid UTF-8 excerpt = %q", got)
	}
}

func TestSentinels(t *testing.T) {
	for status, target := range map[int]error{401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 429: ErrRateLimited, 400: ErrInvalid} {
		e := New("GET", "/p", status, http.Header{}, nil)
		if !errors.Is(e, target) {
			t.Errorf("%d does not match %v", status, target)
		}
		for _, other := range []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrInvalid} {
			if other != target && errors.Is(e, other) {
				t.Errorf("%d matches %v", status, other)
			}
		}
	}
	if errors.Is(New("GET", "/p", 500, http.Header{}, nil), ErrInvalid) {
		t.Error("500 matches ErrInvalid")
	}
	ie := Invalid("limit", "must not be negative, got %d", -1)
	if !errors.Is(ie, ErrInvalid) || errors.Is(ie, ErrNotFound) {
		t.Error("InputError sentinel matching is wrong")
	}
	if ie.Error() != "accounts: invalid limit: must not be negative, got -1" {
		t.Errorf("message = %q", ie.Error())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{"Mon, 23 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Mon, 23 Nov 2026 11:00:00 GMT", 0, true},
		{"99999999999999", 365 * 24 * time.Hour, true},
		{"Mon, 01 Nov 7000 00:00:00 GMT", 365 * 24 * time.Hour, true},
	}
	for _, tc := range cases {
		got, ok := ParseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestProblemJSON: an RFC 9457 answer from a gateway fills Detail from detail
// (or title) and Type from type; status and title are not field errors; its
// extension members are; a 422 matches ErrInvalid.
func TestProblemJSON(t *testing.T) {
	h := http.Header{"Content-Type": {"application/problem+json; charset=utf-8"}}
	cases := []struct {
		name, body, detail, typ string
		fields                  map[string][]string
	}{
		{"detail and title", `{"type":"https://gw.example/probs/upstream","title":"Bad Gateway","status":502,"detail":"upstream timed out","instance":"/x/1"}`,
			"upstream timed out", "https://gw.example/probs/upstream", nil},
		{"title only", `{"type":"about:blank","title":"Unprocessable Content","status":422}`, "Unprocessable Content", "", nil},
		{"extension members", `{"title":"Invalid request","status":422,"invalid-params":[{"name":"email","reason":"not an email"}]}`,
			"Invalid request", "", map[string][]string{"invalid-params[0].name": {"email"}, "invalid-params[0].reason": {"not an email"}}},
		{"not an object falls back to the excerpt", `<h1>Bad Gateway</h1>`, "<h1>Bad Gateway</h1>", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := New("GET", "/api/accounts/workspaces", 422, h, []byte(tc.body))
			if e.Detail != tc.detail || e.Type != tc.typ || !reflect.DeepEqual(e.FieldErrors, tc.fields) {
				t.Errorf("detail %q, type %q, fields %v; want %q, %q, %v", e.Detail, e.Type, e.FieldErrors, tc.detail, tc.typ, tc.fields)
			}
			if !errors.Is(e, ErrInvalid) {
				t.Error("a 422 does not match ErrInvalid")
			}
		})
	}
	// Without the media type, the same body is read as DRF's field map.
	e := New("GET", "/p", 502, http.Header{"Content-Type": {"application/json"}}, []byte(`{"title":"x","status":502}`))
	if len(e.FieldErrors) != 2 {
		t.Errorf("plain JSON: fields %v", e.FieldErrors)
	}
}

// TestMediaType: the Content-Type's media type, lower case, parameters and
// spaces dropped; empty without a Content-Type.
func TestMediaType(t *testing.T) {
	for ct, want := range map[string]string{
		"application/json":                          "application/json",
		" Application/Problem+JSON ; charset=utf-8": "application/problem+json",
		"text/html;charset=utf-8":                   "text/html",
		"":                                          "",
	} {
		if got := MediaType(http.Header{"Content-Type": {ct}}); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", ct, got, want)
		}
	}
	if got := MediaType(http.Header{}); got != "" {
		t.Errorf("no Content-Type: %q", got)
	}
}

// TestA403RefusingTheCredentialsMatchesErrUnauthorized: Django REST
// framework answers 403 instead of 401 when its first authentication class
// sends no challenge; such a refusal, in DRF's words or codes, matches
// ErrUnauthorized as well as ErrForbidden. A 403 about a permission, or in
// words the SDK does not know, matches ErrForbidden alone.
func TestA403RefusingTheCredentialsMatchesErrUnauthorized(t *testing.T) {
	for body, want := range map[string]bool{
		`{"detail":"Authentication credentials were not provided."}`:                             true,
		`{"detail":"Invalid token."}`:                                                            true,
		`{"detail":" invalid TOKEN. "}`:                                                          true,
		`{"detail":"Invalid token header. Token string should not contain spaces."}`:             true,
		`{"detail":"User inactive or deleted."}`:                                                 true,
		`{"detail":"Given token not valid for any token type","code":"token_not_valid"}`:         true,
		`{"detail":"Authentifizierungsdaten fehlen.","code":"not_authenticated"}`:                true,
		`{"detail":"You do not have permission to perform this action."}`:                        false,
		`{"detail":"Authentifizierungsdaten fehlen."}`:                                           false,
		`{"detail":"Invalid token. Also, you may not do this."}`:                                 false,
		`{"detail":"You do not have permission.","code":"permission_denied"}`:                    false,
		`<html><body><h1>403 Forbidden</h1>Authentication credentials were not provided.</html>`: false,
	} {
		e := New("GET", "/p", 403, http.Header{}, []byte(body))
		if got := errors.Is(e, ErrUnauthorized); got != want || !errors.Is(e, ErrForbidden) {
			t.Errorf("%s: ErrUnauthorized %v (want %v), ErrForbidden %v", body, got, want, errors.Is(e, ErrForbidden))
		}
	}
	// The words make a 403 a refusal of credentials, not any other status.
	if e := New("GET", "/p", 400, http.Header{}, []byte(`{"detail":"Invalid token."}`)); errors.Is(e, ErrUnauthorized) {
		t.Error("a 400 matches ErrUnauthorized")
	}
}
