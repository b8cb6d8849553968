package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/examples/internal/exampleclient"
	"github.com/coolset-go/sdk/examples/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, main) }

func TestOrganizationsAgainstAccountstest(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-slug", "example-test"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?s)^created  SDK Example \(example-test\) [0-9a-f-]{36}\n` +
		`renamed  SDK Example, renamed\n` +
		`usage    3 of 1000 \(997 remaining\)\n` +
		`listed   example-test among the organizations\n` +
		`total    26 organizations\n` +
		`deleted  [0-9a-f-]{36}\n$`)
	if !want.Match(out.Bytes()) {
		t.Errorf("output:\n%s", out.String())
	}
	if !bytes.Contains(errOut.Bytes(), []byte("in-memory test server")) || bytes.Contains(errOut.Bytes(), []byte("cleanup")) {
		t.Errorf("stderr = %q", errOut.String())
	}
}

func TestOrganizationsRefusesBadSlug(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-slug", "bad slug"}, &out, &errOut)
	if err == nil || out.Len() != 0 {
		t.Fatalf("err = %v, output %q", err, out.String())
	}
}

func TestOrganizationsUsageErrors(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stray-arg"}, `unexpected arguments ["stray-arg"]`},
		{[]string{"-slug", "x", "stray", "-slug"}, `unexpected arguments ["stray" "-slug"]`},
		{[]string{"-no-such-flag"}, "flag provided but not defined"},
		{[]string{"-slug"}, "flag needs an argument"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, &out, &errOut)
		var usageErr *exampleclient.UsageError
		if !errors.As(err, &usageErr) || !strings.Contains(err.Error(), tc.want) || out.Len() != 0 {
			t.Errorf("%q: err = %v, output %q", tc.args, err, out.String())
		}
		// Refused before anything starts: no test server, no organization,
		// and nothing printed (the error is printed once, by main).
		if errOut.Len() != 0 {
			t.Errorf("%q: stderr = %q", tc.args, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: err = %v", err)
	}
	if !strings.Contains(errOut.String(), "-slug string") || out.Len() != 0 {
		t.Errorf("-h: stderr = %q, output %q", errOut.String(), out.String())
	}
	exampletest.CheckCommandLine(t, "usage: organizations [-slug slug]", "stray")
}

const orgUUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"

// failingServer accepts the create, answers the rename with rename and the
// delete with deleteStatus, and records the requests it got.
type failingServer struct {
	rename       func(w http.ResponseWriter, r *http.Request)
	deleteStatus int

	mu       sync.Mutex
	requests []string
}

func (s *failingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.Method {
	case http.MethodPost:
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"uuid":"` + orgUUID + `","name":"SDK Example","slug":"sdk-example-org"}`))
	case http.MethodPatch:
		s.rename(w, r)
	case http.MethodDelete:
		w.WriteHeader(s.deleteStatus)
		if s.deleteStatus != http.StatusNoContent {
			w.Write([]byte(`{"detail":"You do not have permission to perform this action."}`))
		}
	default:
		http.NotFound(w, r)
	}
}

func (s *failingServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func refuseRename(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusBadRequest)
	w.Write([]byte(`{"name":["nope"]}`))
}

// runAgainst runs the program with ctx against srv.
func runAgainst(t *testing.T, ctx context.Context, srv *failingServer) (out, errOut string, err error) {
	t.Helper()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv(accounts.EnvAPIKey, "test-key")
	t.Setenv(accounts.EnvBaseURL, hs.URL+"/api/")
	var o, e bytes.Buffer
	err = run(ctx, nil, &o, &e)
	return o.String(), e.String(), err
}

// TestOrganizationsCleansUpAfterAFailedStep: the rename fails after a
// successful create, and the organization is deleted all the same.
func TestOrganizationsCleansUpAfterAFailedStep(t *testing.T) {
	srv := &failingServer{rename: refuseRename, deleteStatus: http.StatusNoContent}
	out, errOut, err := runAgainst(t, context.Background(), srv)
	if err == nil || !strings.HasPrefix(err.Error(), "rename: ") || strings.Contains(err.Error(), "cleanup") {
		t.Errorf("err = %v", err)
	}
	want := []string{
		"POST /api/accounts/organizations/",
		"PATCH /api/accounts/organizations/" + orgUUID + "/",
		"DELETE /api/accounts/organizations/" + orgUUID + "/",
	}
	if got := srv.got(); !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(out, "created  SDK Example (sdk-example-org) "+orgUUID+"\n") {
		t.Errorf("output = %q", out)
	}
	if !strings.Contains(errOut, "cleanup: deleted the organization "+orgUUID+"\n") {
		t.Errorf("stderr = %q", errOut)
	}
}

// TestOrganizationsCleansUpWhenCancelled: the run's context is cancelled
// during the rename; the delete still goes out, with a context of its own.
func TestOrganizationsCleansUpWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := &failingServer{deleteStatus: http.StatusNoContent, rename: func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so that the server notices the client leave
		cancel()
		select { // the client gives up on the request
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		refuseRename(w, r)
	}}
	_, errOut, err := runAgainst(t, ctx, srv)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "rename: ") {
		t.Errorf("err = %v", err)
	}
	if got := srv.got(); len(got) != 3 || got[2] != "DELETE /api/accounts/organizations/"+orgUUID+"/" {
		t.Errorf("requests: %q", got)
	}
	if !strings.Contains(errOut, "cleanup: deleted the organization "+orgUUID+"\n") {
		t.Errorf("stderr = %q", errOut)
	}
}

// TestOrganizationsReportsAFailedCleanup: when the delete is refused too,
// both failures are reported, with the organization left behind.
func TestOrganizationsReportsAFailedCleanup(t *testing.T) {
	srv := &failingServer{rename: refuseRename, deleteStatus: http.StatusForbidden}
	_, errOut, err := runAgainst(t, context.Background(), srv)
	if err == nil || !strings.HasPrefix(err.Error(), "rename: ") ||
		!strings.Contains(err.Error(), "\ncleanup: the organization "+orgUUID+" is left behind (delete it by hand): ") ||
		!errors.Is(err, accounts.ErrForbidden) {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(errOut, "cleanup: deleted") {
		t.Errorf("stderr = %q", errOut)
	}
}
