package accountstest

import (
	"bytes"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPanicDoesNotStopTheServer: a request that once panicked with the lock
// held (an offset near math.MaxInt in the user list) is followed by others,
// which must be answered, and Close must return.
func TestPanicDoesNotStopTheServer(t *testing.T) {
	s := guardedServer(t)
	if status, b, err := send(s, "GET", "/api/accounts/users/?offset="+strconv.Itoa(math.MaxInt-5), OwnerToken, ""); err != nil || status != 200 {
		t.Errorf("huge offset: %d %v %.200s", status, err, b)
	}
	for _, path := range []string{"/api/accounts/countries/NL", "/api/accounts/users/?limit=1", "/api/accounts/users/me/"} {
		if status, b, err := send(s, "GET", path, OwnerToken, ""); err != nil || status != 200 {
			t.Errorf("%s after it: %d %v %.200s", path, status, err, b)
		}
	}
}

// TestPanicHoldingTheLockReleasesIt panics inside the server's locked sections
// and checks that the lock is free afterwards.
func TestPanicHoldingTheLockReleasesIt(t *testing.T) {
	s := guardedServer(t)
	panics := func(f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		f()
	}
	panics(func() { s.withLock(func() { panic("in withLock") }) })
	panics(func() { s.answer(httptest.NewRecorder(), func() reply { panic("in answer") }) })
	if !s.mu.TryLock() {
		t.Fatal("the lock is still held after a panic")
	}
	s.mu.Unlock()
	if status, b, err := send(s, "GET", "/api/accounts/users/me/", OwnerToken, ""); err != nil || status != 200 {
		t.Errorf("after the panics: %d %v %.200s", status, err, b)
	}
}

// TestPanicIsAnswered500 makes the request filter of fault injection panic:
// the request is answered with Django's 500 page instead of losing its
// connection, the panic is logged, and the server goes on.
func TestPanicIsAnswered500(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	s := guardedServer(t, WithFaults(Faults{Rate: 1, Only: func(r *http.Request) bool {
		if r.URL.Query().Has("boom") {
			panic("boom from Only")
		}
		return false
	}}))
	status, b, err := send(s, "GET", "/api/accounts/countries/NL?boom=1", OwnerToken, "")
	if err != nil || status != 500 || !strings.Contains(string(b), "<h1>Server Error (500)</h1>") {
		t.Errorf("panicking request: %d %v %.200s", status, err, b)
	}
	if status, b, err := send(s, "GET", "/api/accounts/countries/NL", OwnerToken, ""); err != nil || status != 200 {
		t.Errorf("next request: %d %v %.200s", status, err, b)
	}
	s.Close() // waits for the handlers, so the log is complete
	if out := logged.String(); !strings.Contains(out, "accountstest: panic serving GET /api/accounts/countries/NL?boom=1: boom from Only") {
		t.Errorf("log = %q", out)
	}
}

// TestPanicAfterTheAnswerBegan: once the status is sent, a panic can only
// drop the connection, which net/http does for http.ErrAbortHandler.
func TestPanicAfterTheAnswerBegan(t *testing.T) {
	log.SetOutput(&bytes.Buffer{})
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	rec := httptest.NewRecorder()
	gw := &guardedWriter{ResponseWriter: rec}
	r := httptest.NewRequest("GET", "/api/accounts/groups/", nil)
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
		if rec.Code != 200 {
			t.Errorf("status %d after the answer began", rec.Code)
		}
	}()
	func() {
		defer recoverHandler(gw, r)
		gw.WriteHeader(200)
		panic("late")
	}()
}

// TestEveryLockIsDeferred reads the package's source: every s.mu.Lock() is
// followed by "defer s.mu.Unlock()", so that no panic can leave the lock held.
func TestEveryLockIsDeferred(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	locks := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		for i, l := range lines {
			l = strings.TrimSpace(l)
			switch {
			case strings.HasSuffix(l, "mu.Lock()"):
				locks++
				if i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) != "defer s.mu.Unlock()" {
					t.Errorf("%s:%d: Lock not followed by defer s.mu.Unlock()", f, i+1)
				}
			case strings.HasSuffix(l, "mu.Unlock()") && !strings.HasPrefix(l, "defer "):
				t.Errorf("%s:%d: Unlock without defer", f, i+1)
			}
		}
	}
	if locks == 0 {
		t.Error("no Lock found: is the test reading the package's directory?")
	}
}
