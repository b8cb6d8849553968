package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
	"github.com/coolset-go/sdk/examples/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, main) }

func TestQuickstartAgainstAccountstest(t *testing.T) {
	t.Setenv(accounts.EnvAPIKey, "") // force the in-memory server
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, &out, &errOut); err != nil {
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

func TestQuickstartCommandLine(t *testing.T) {
	exampletest.CheckCommandLine(t, "usage: quickstart", "stray")
}

// TestQuickstartSaysWhichServer: with a key, stderr names the base URL it
// was given, and never the key; a base URL holding credentials is refused
// without being printed.
func TestQuickstartSaysWhichServer(t *testing.T) {
	srv := accountstest.NewServer()
	defer srv.Close()
	res := exampletest.Run(t, "", []string{accounts.EnvAPIKey + "=" + accountstest.OwnerToken, accounts.EnvBaseURL + "=" + srv.URL()})
	if res.Code != 0 || !strings.HasPrefix(res.Stderr, "using the API at "+srv.URL()+" (from ACCOUNTS_BASE_URL)\n") ||
		strings.Contains(res.Stderr+res.Stdout, accountstest.OwnerToken) {
		t.Errorf("exit %d, stderr %q", res.Code, res.Stderr)
	}
	withSecret := strings.Replace(srv.URL(), "http://", "http://user:secret-in-url@", 1)
	res = exampletest.Run(t, "", []string{accounts.EnvAPIKey + "=k", accounts.EnvBaseURL + "=" + withSecret})
	if res.Code != 1 || res.Stdout != "" || strings.Contains(res.Stderr, "secret-in-url") || strings.Count(res.Stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", res.Code, res.Stdout, res.Stderr)
	}
}
