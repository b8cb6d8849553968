// Package exampleclient holds what every example program does the same way:
// building the client (the API named by ACCOUNTS_API_KEY and
// ACCOUNTS_BASE_URL when the key is set, otherwise an in-memory accountstest
// server started in this process), saying which server that is, reading the
// command line, and turning the program's error into one line on standard
// error and an exit status.
package exampleclient

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/accounts/accountstest"
)

// New returns a client and a function that releases what it started. It says
// on notes which server the client talks to: the production API, the base
// URL given in ACCOUNTS_BASE_URL, or the in-memory test server. The API key
// is never written.
func New(notes io.Writer) (*accounts.Client, func(), error) {
	if os.Getenv(accounts.EnvAPIKey) != "" {
		c, err := accounts.NewClient(accounts.WithEnv())
		if err != nil {
			return nil, nil, err
		}
		if os.Getenv(accounts.EnvBaseURL) == "" {
			fmt.Fprintf(notes, "using the production API at %s (%s is not set)\n", shown(c.BaseURL()), accounts.EnvBaseURL)
		} else {
			fmt.Fprintf(notes, "using the API at %s (from %s)\n", shown(c.BaseURL()), accounts.EnvBaseURL)
		}
		return c, func() {}, nil
	}
	srv := accountstest.NewServer()
	fmt.Fprintf(notes, "%s is not set: using the in-memory test server at %s\n", accounts.EnvAPIKey, srv.URL())
	c, err := accounts.NewClient(accounts.WithBaseURL(srv.URL()), accounts.WithAPIKey(accountstest.OwnerToken))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}

// shown returns a base URL as it may be printed: without user information,
// query or fragment, where a credential could hide.
func shown(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "(a base URL that does not parse)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment = nil, "", false, ""
	return u.String()
}

// Unreachable reports whether err says that the server could not be reached
// at all: its name did not resolve, or no connection could be made (refused,
// or timed out while connecting). Nothing was sent then, and a next request
// would most likely fail the same way.
func Unreachable(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) || errors.As(err, &opErr) && opErr.Op == "dial"
}

// UsageError is a command line the program does not take: an unknown flag, a
// flag's bad value, or arguments it does not expect. Report prints it with
// the usage line, and the program exits with status 2.
type UsageError struct {
	// Err says what is wrong.
	Err error
	// Usage is the program's one-line synopsis, such as "usage: quickstart".
	Usage string
}

func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *UsageError) Unwrap() error { return e.Err }

// Parse reads the command line args with fs, which takes at most maxArgs
// arguments after the flags. usage is the program's synopsis, such as
// "usage: quickstart [-v]".
//
// The flag package prints nothing itself, so that an error is printed once,
// by Report: -h and -help print usage and fs's flags on help and return
// flag.ErrHelp (exit status 0); an unknown flag, a bad value or an argument
// too many is returned as a *UsageError.
func Parse(fs *flag.FlagSet, usage string, args []string, maxArgs int, help io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(help, usage)
		fs.SetOutput(help)
		fs.PrintDefaults()
		fmt.Fprintf(help, "With %s set it talks to that API (%s, or production when that is not set);\n"+
			"otherwise it starts an in-memory test server and uses that. Standard error says which.\n",
			accounts.EnvAPIKey, accounts.EnvBaseURL)
		return err
	}
	if err != nil {
		return &UsageError{Err: err, Usage: usage}
	}
	if fs.NArg() > maxArgs {
		return &UsageError{Err: fmt.Errorf("unexpected arguments %q", fs.Args()[maxArgs:]), Usage: usage}
	}
	return nil
}

// Report prints err, the outcome of the program name, on errOut once and
// returns the exit status: 0 for no error and for -h, 2 for a *UsageError
// (followed by the usage line), 1 for any other failure.
func Report(name string, err error, errOut io.Writer) int {
	var usageErr *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usageErr):
		fmt.Fprintf(errOut, "%s: %v\n%s\nRun '%s -h' for the flags.\n", name, err, usageErr.Usage, name)
		return 2
	default:
		fmt.Fprintf(errOut, "%s: %v\n", name, err)
		return 1
	}
}

// Main runs an example program: run gets the command-line arguments after
// the program's name, standard output and standard error, and a context that
// Ctrl-C cancels (calls in flight stop, and the program ends through its
// usual error path). Main exits with Report's status.
func Main(name string, run func(ctx context.Context, args []string, out, errOut io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(Report(name, err, os.Stderr))
}
