package exampleclient

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
)

// TestNewSaysWhichServer: each way of choosing the server is named on the
// notes before anything is sent (New sends nothing), and the key never is.
func TestNewSaysWhichServer(t *testing.T) {
	for _, tc := range []struct{ key, base, want string }{
		{"", "", "ACCOUNTS_API_KEY is not set: using the in-memory test server at http://127.0.0.1:"},
		{"secret-key", "", "using the production API at " + accounts.DefaultBaseURL + " (ACCOUNTS_BASE_URL is not set)\n"},
		{"secret-key", "http://127.0.0.1:9/api/", "using the API at http://127.0.0.1:9/api/ (from ACCOUNTS_BASE_URL)\n"},
	} {
		t.Setenv(accounts.EnvAPIKey, tc.key)
		t.Setenv(accounts.EnvBaseURL, tc.base)
		var notes bytes.Buffer
		c, done, err := New(&notes)
		if err != nil {
			t.Fatal(err)
		}
		done()
		if c == nil || !strings.HasPrefix(notes.String(), tc.want) || strings.Contains(notes.String(), "secret-key") {
			t.Errorf("key %q, base %q: notes %q, want %q", tc.key, tc.base, notes.String(), tc.want)
		}
	}
}

func TestShownDropsWhatCouldHoldASecret(t *testing.T) {
	if got := shown("https://u:p@api.example/x/?token=t#f"); got != "https://api.example/x/" {
		t.Errorf("shown = %q", got)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(nil)
	addr := srv.Listener.Addr().String()
	srv.Close()
	_, dialErr := net.Dial("tcp", addr)
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("post: %w", dialErr), true},
		{&net.DNSError{Err: "no such host", Name: "api.invalid", IsNotFound: true}, true},
		{&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, false},
		{&accounts.Error{StatusCode: 503}, false},
		{errors.New("unexpected EOF"), false},
	} {
		if got := Unreachable(tc.err); got != tc.want {
			t.Errorf("Unreachable(%v) = %v", tc.err, got)
		}
	}
}

func TestParseAndReport(t *testing.T) {
	parse := func(args ...string) (error, string) {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.Int("n", 1, "a number")
		var help bytes.Buffer
		return Parse(fs, "usage: x [-n n] [file]", args, 1, &help), help.String()
	}
	if err, help := parse("-n", "2", "f"); err != nil || help != "" {
		t.Errorf("good command line: %v, %q", err, help)
	}
	err, help := parse("-h")
	if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(help, "usage: x [-n n] [file]\n  -n int\n") || !strings.Contains(help, "ACCOUNTS_API_KEY") {
		t.Errorf("-h: %v, %q", err, help)
	}
	var out bytes.Buffer
	if code := Report("x", err, &out); code != 0 || out.Len() != 0 {
		t.Errorf("-h: exit %d, %q", code, out.String())
	}
	for _, args := range [][]string{{"-m"}, {"-n", "two"}, {"a", "b"}} {
		err, help := parse(args...)
		var usageErr *UsageError
		if !errors.As(err, &usageErr) || help != "" {
			t.Fatalf("%q: %v, %q", args, err, help)
		}
		out.Reset()
		if code := Report("x", err, &out); code != 2 || out.String() != "x: "+err.Error()+"\nusage: x [-n n] [file]\nRun 'x -h' for the flags.\n" {
			t.Errorf("%q: exit %d, %q", args, code, out.String())
		}
	}
	out.Reset()
	if code := Report("x", errors.New("boom"), &out); code != 1 || out.String() != "x: boom\n" {
		t.Errorf("failure: exit %d, %q", code, out.String())
	}
	if code := Report("x", nil, &out); code != 0 {
		t.Errorf("success: exit %d", code)
	}
}
