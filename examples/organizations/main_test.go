package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
)

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
	if !bytes.Contains(errOut.Bytes(), []byte("in-memory test server")) {
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
		if err == nil || !strings.Contains(err.Error(), tc.want) || out.Len() != 0 {
			t.Errorf("%q: err = %v, output %q", tc.args, err, out.String())
		}
		// Refused before anything starts: no test server, no organization.
		if !strings.Contains(errOut.String(), "usage: organizations [-slug slug]") || strings.Contains(errOut.String(), "in-memory test server") {
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
}
