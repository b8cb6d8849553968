// Package exampletest runs an example program as a person would, from its
// own test: the test binary, started again with an environment variable set,
// runs the program's main instead of the tests, so that a test sees the real
// exit status and the real standard output and error.
//
//	func TestMain(m *testing.M) { exampletest.Main(m, main) }
//
//	res := exampletest.Run(t, "", nil, "-h")
package exampletest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/accounts"
)

// envRunMain, set to "1", makes Main run the program instead of the tests.
const envRunMain = "EXAMPLETEST_RUN_MAIN"

// Main is an example's TestMain: it runs the tests, or, in a process that
// Run started, the program's main.
func Main(m *testing.M, main func()) {
	if os.Getenv(envRunMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Result is what one run of the program did.
type Result struct {
	// Stdout and Stderr are what the program wrote.
	Stdout, Stderr string
	// Code is its exit status.
	Code int
}

// Run runs the program with args, stdin as its standard input, and env
// ("NAME=value") added to the test's environment, in which ACCOUNTS_API_KEY
// is emptied first: without a key in env, the program uses its in-memory
// test server.
func Run(t *testing.T, stdin string, env []string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envRunMain+"=1", accounts.EnvAPIKey+"=")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("run %q: %v", args, err)
	}
	return Result{Stdout: out.String(), Stderr: errOut.String(), Code: cmd.ProcessState.ExitCode()}
}

// CheckCommandLine checks that the program behaves as a command-line tool
// should before it does anything: -h prints usage (a line starting with
// usage) and exits 0; an unknown flag, and the stray arguments given, are
// refused with the error printed once, the usage line, and exit status 2.
// None of them writes to standard output or starts a server.
func CheckCommandLine(t *testing.T, usage string, stray ...string) {
	t.Helper()
	check := func(name string, res Result, code int, once string) {
		t.Helper()
		if res.Code != code || res.Stdout != "" || !strings.HasPrefix(res.Stderr, usage) && !strings.Contains(res.Stderr, "\n"+usage) {
			t.Errorf("%s: exit %d (want %d), stdout %q, stderr %q (want the usage %q)", name, res.Code, code, res.Stdout, res.Stderr, usage)
		}
		if once != "" && strings.Count(res.Stderr, once) != 1 {
			t.Errorf("%s: stderr holds %q %d times, want once:\n%s", name, once, strings.Count(res.Stderr, once), res.Stderr)
		}
		if strings.Contains(res.Stderr, "using the") {
			t.Errorf("%s: a client was built:\n%s", name, res.Stderr)
		}
	}
	check("-h", Run(t, "", nil, "-h"), 0, "")
	check("unknown flag", Run(t, "", nil, "-no-such-flag"), 2, "flag provided but not defined: -no-such-flag")
	check("stray arguments", Run(t, "", nil, stray...), 2, "unexpected arguments")
}
