package accounts_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coolset-go/sdk/accounts"
)

// changelogHeading is a version's heading in CHANGELOG.md: "## Unreleased",
// or "## X.Y.Z - YYYY-MM-DD" for a release.
var changelogHeading = regexp.MustCompile(`^## (?:Unreleased|(\d+)\.(\d+)\.(\d+) - (\d{4}-\d{2}-\d{2}))$`)

// firstVersion is the version of the first release, which accounts.Version
// names until CHANGELOG.md has a released entry (docs/RELEASING.md).
const firstVersion = "0.1.0"

// checkChangelog checks the CHANGELOG's version headings against version,
// the SDK's accounts.Version, with the rules of docs/RELEASING.md: every
// "## " heading is a version's; "Unreleased" may only be the first; releases
// go from newest to oldest; and version is the newest release's, or
// firstVersion before the first release.
func checkChangelog(changelog, version string) error {
	var errs []error
	var newest string
	var prev [3]int
	var prevDate string
	n := 0
	for i, line := range strings.Split(changelog, "\n") {
		if !strings.HasPrefix(line, "## ") {
			continue
		}
		n++
		m := changelogHeading.FindStringSubmatch(strings.TrimRight(line, " \r"))
		switch {
		case m == nil:
			errs = append(errs, fmt.Errorf("line %d: %q is not \"## Unreleased\" or \"## X.Y.Z - YYYY-MM-DD\"", i+1, line))
			continue
		case m[1] == "" && n > 1:
			errs = append(errs, fmt.Errorf("line %d: \"## Unreleased\" must be the first section", i+1))
			continue
		case m[1] == "":
			continue
		}
		var v [3]int
		for j := range v {
			v[j], _ = strconv.Atoi(m[j+1])
		}
		if _, err := time.Parse(time.DateOnly, m[4]); err != nil {
			errs = append(errs, fmt.Errorf("line %d: bad date: %v", i+1, err))
		}
		if newest == "" {
			newest = fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])
		} else if !(v[0] < prev[0] || v[0] == prev[0] && (v[1] < prev[1] || v[1] == prev[1] && v[2] < prev[2])) || m[4] > prevDate {
			errs = append(errs, fmt.Errorf("line %d: %s is not older than the release above it", i+1, line))
		}
		prev, prevDate = v, m[4]
	}
	switch {
	case newest == "" && version != firstVersion:
		errs = append(errs, fmt.Errorf("accounts.Version is %s, but CHANGELOG.md has no release yet: it must be the first release's, %s", version, firstVersion))
	case newest != "" && version != newest:
		errs = append(errs, fmt.Errorf("accounts.Version is %s, but the newest release in CHANGELOG.md is %s", version, newest))
	}
	return errors.Join(errs...)
}

// TestVersionMatchesChangelog keeps accounts.Version, CHANGELOG.md and the
// release tag in step: the version is the newest release's in the CHANGELOG,
// and a commit tagged vX.Y.Z has Version X.Y.Z.
func TestVersionMatchesChangelog(t *testing.T) {
	b, err := os.ReadFile("../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkChangelog(string(b), accounts.Version); err != nil {
		t.Errorf("CHANGELOG.md and accounts.Version disagree (see docs/RELEASING.md):\n%v", err)
	}
	// The tags on the commit under test, when git can tell (a release is
	// tagged on the commit that sets the version).
	out, err := exec.Command("git", "tag", "--points-at", "HEAD", "--list", "v*").Output()
	if err != nil {
		t.Logf("no tag check: git: %v", err)
		return
	}
	for _, tag := range strings.Fields(string(out)) {
		if tag != "v"+accounts.Version {
			t.Errorf("HEAD is tagged %s, but accounts.Version is %s", tag, accounts.Version)
		}
	}
}

// TestCheckChangelog shows the rules at work on the states a CHANGELOG goes
// through: before the first release, at a release, during development after
// it.
func TestCheckChangelog(t *testing.T) {
	const intro = "# Changelog\n\nSome words.\n\n"
	for _, tc := range []struct {
		name, changelog, version string
		want                     string // "" for no error, else a part of it
	}{
		{"before the first release", intro + "## Unreleased\n\n### Breaking\n- x\n", "0.1.0", ""},
		{"before the first release, another version", intro + "## Unreleased\n", "0.2.0", "no release yet: it must be the first release's, 0.1.0"},
		{"first release", intro + "## 0.1.0 - 2026-12-01\n\n- x\n", "0.1.0", ""},
		{"development after it", intro + "## Unreleased\n- y\n\n## 0.1.0 - 2026-12-01\n- x\n", "0.1.0", ""},
		{"second release", intro + "## 0.2.0 - 2027-01-15\n- y\n\n## 0.1.0 - 2026-12-01\n- x\n", "0.2.0", ""},
		{"version not bumped", intro + "## 0.2.0 - 2027-01-15\n\n## 0.1.0 - 2026-12-01\n", "0.1.0", "the newest release in CHANGELOG.md is 0.2.0"},
		{"version bumped without an entry", intro + "## Unreleased\n\n## 0.1.0 - 2026-12-01\n", "0.2.0", "the newest release in CHANGELOG.md is 0.1.0"},
		{"unreleased below a release", intro + "## 0.1.0 - 2026-12-01\n\n## Unreleased\n", "0.1.0", "must be the first section"},
		{"out of order", intro + "## 0.1.0 - 2026-12-01\n\n## 0.2.0 - 2027-01-15\n", "0.1.0", "is not older than the release above it"},
		{"older date above", intro + "## 0.2.0 - 2026-11-01\n\n## 0.1.0 - 2026-12-01\n", "0.2.0", "is not older than the release above it"},
		{"no date", intro + "## 0.1.0\n", "0.1.0", `is not "## Unreleased" or`},
		{"tag-style heading", intro + "## v0.1.0 - 2026-12-01\n", "0.1.0", `is not "## Unreleased" or`},
		{"bad date", intro + "## 0.1.0 - 2026-13-01\n", "0.1.0", "bad date"},
	} {
		err := checkChangelog(tc.changelog, tc.version)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
