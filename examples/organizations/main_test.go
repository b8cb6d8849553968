package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/coolset-go/sdk/accounts"
)

func TestOrganizationsAgainstAccountstest(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), "example-test", &out, &errOut); err != nil {
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
	err := run(context.Background(), "bad slug", &out, &errOut)
	if err == nil || out.Len() != 0 {
		t.Fatalf("err = %v, output %q", err, out.String())
	}
}
