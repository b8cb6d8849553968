package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
)

func TestQuickstartAgainstAccountstest(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "") // force the in-memory server
	var out, errOut bytes.Buffer
	if err := run(context.Background(), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "using the in-memory test server") {
		t.Errorf("stderr does not say it uses accountstest: %q", errOut.String())
	}
	for _, want := range []string{
		"You belong to 1200 workspaces. The first 5:",
		"Active or trial workspaces in the Netherlands or Belgium:",
		"Country NL: Netherlands (NLD, 528)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
