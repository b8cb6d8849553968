package apierror

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzNew builds errors from fuzzed answers: any status, Retry-After value and
// body. An Error must never panic, always describe itself in one line of
// valid UTF-8, keep the body as given, and bound what it quotes of a body that is
// not JSON.
func FuzzNew(f *testing.F) {
	f.Add(404, "", []byte(`{"detail":"Not found."}`))
	f.Add(400, "", []byte(`{"email":["Enter a valid email address."],"members":[{},{"email":["Bad."]}]}`))
	f.Add(429, "7", []byte(`{"detail":"Request was throttled.","code":"throttled"}`))
	f.Add(503, "Mon, 23 Nov 2026 12:00:30 GMT", []byte("<html><h1>503</h1></html>"))
	f.Add(0, "99999999999999999999", []byte(nil))
	f.Add(-1, "-3", []byte(`["a",1,null,{"x":[[]]}]`))
	f.Add(999, " 1 ", []byte("\x00\xff\xfe"))
	f.Add(500, "", []byte(`{"detail":null,"code":7,"":""}`))
	f.Add(400, "", []byte(`1e999`))
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		in := bytes.Clone(body)
		e := New("GET", "/api/accounts/users/x/", status, h, body)
		msg := e.Error()
		if !strings.HasPrefix(msg, "accounts: GET /api/accounts/users/x/: ") {
			t.Fatalf("message %q", msg)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("message is not valid UTF-8: %q", msg)
		}
		if i := strings.IndexFunc(msg, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }); i >= 0 {
			t.Fatalf("message holds a control character or line break at %d: %q", i, msg)
		}
		if e.StatusCode != status || !bytes.Equal(e.Body, in) || !bytes.Equal(body, in) {
			t.Fatalf("status %d or body changed", e.StatusCode)
		}
		if e.RetryAfter < 0 || e.RetryAfter > 365*24*time.Hour {
			t.Fatalf("RetryAfter = %v from %q", e.RetryAfter, retryAfter)
		}
		if len(e.Detail) > maxExcerpt+len("...") && !bytes.Contains(body, []byte(`"`)) {
			// Only a JSON string can give a longer detail.
			t.Fatalf("detail of %d bytes from a body without strings", len(e.Detail))
		}
		for k, msgs := range e.FieldErrors {
			if len(msgs) == 0 {
				t.Fatalf("field %q without messages", k)
			}
		}
		if errors.Is(e, ErrNotFound) != (status == http.StatusNotFound) || errors.Is(e, ErrInvalid) != (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity) {
			t.Fatalf("sentinels wrong for %d", status)
		}
	})
}
