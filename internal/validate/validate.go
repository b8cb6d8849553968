// Package validate holds the checks the SDK runs on input before sending it.
// Each returns an *apierror.InputError naming the field as the API spells it,
// or nil.
package validate

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coolset-go/sdk/internal/apierror"
)

// RequiredRequest is the one answer to a nil request a call cannot do
// without: field "request", whatever the request's own fields are called.
// instead says what to write instead, such as "pass &users.CreateRequest{} to
// send no field".
func RequiredRequest(instead string) error {
	return apierror.Invalid("request", "must not be nil; %s", instead)
}

// NonNegative refuses a negative number.
func NonNegative(field string, v *int) error {
	if v != nil && *v < 0 {
		return apierror.Invalid(field, "must not be negative, got %d", *v)
	}
	return nil
}

// Positive refuses zero and negative numbers.
func Positive(field string, v int) error {
	if v <= 0 {
		return apierror.Invalid(field, "must be a positive integer, got %d", v)
	}
	return nil
}

// Text refuses text the server would refuse or read as something else, in any
// string the SDK sends (a body field, a query parameter, a path segment):
//   - bytes that are not valid UTF-8, which encoding/json and Django would
//     replace with U+FFFD, so the server would get other text. (A UTF-16
//     surrogate, which Django REST framework refuses, cannot be written in
//     valid UTF-8, so this covers it too.)
//   - the NUL character, which Django refuses in every text field and filter
//     (its ProhibitNullCharactersValidator), and which PostgreSQL cannot store.
//
// The empty string is accepted; see NotEmpty.
func Text(field, v string) error {
	switch {
	case !utf8.ValidString(v):
		return apierror.Invalid(field, "is not valid UTF-8 text")
	case strings.IndexByte(v, 0) >= 0:
		return apierror.Invalid(field, "holds a NUL character (\\x00), which the server refuses")
	}
	return nil
}

// Trim removes the white space around v as the server does: Django REST
// framework's CharField trims with Python's str.strip, whose white space is
// Go's (unicode.IsSpace) and the separators U+001C to U+001F.
func Trim(v string) string {
	return strings.TrimFunc(v, func(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) })
}

// NotEmpty refuses an empty string, and one of only white space: Django REST
// framework trims a string field before checking it, so the server would
// refuse it as blank. It refuses what Text refuses too.
func NotEmpty(field, v string) error {
	if v == "" {
		return apierror.Invalid(field, "must not be empty")
	}
	if err := Text(field, v); err != nil {
		return err
	}
	if Trim(v) == "" {
		return apierror.Invalid(field, "must not be blank (only white space)")
	}
	return nil
}

// ListItems checks the elements of a comma-joined list parameter (a Django
// "__in" lookup): none may be empty or contain a comma, which would change the
// list the server reads, nor hold what Text refuses.
func ListItems[S ~string](field string, items []S) error {
	for i, it := range items {
		if err := Text(field, string(it)); err != nil {
			return err
		}
		switch {
		case it == "":
			return apierror.Invalid(field, "item %d is empty", i)
		case strings.Contains(string(it), ","):
			return apierror.Invalid(field, "item %d contains a comma, which would split it in two", i)
		}
	}
	return nil
}

// uuidPattern is the textual form of a UUID, any version, either case.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// UUID refuses a value that is not a UUID such as
// "497f6eca-6276-4993-bfeb-53cbbbba6f08".
func UUID(field, v string) error {
	if !uuidPattern.MatchString(v) {
		return apierror.Invalid(field, "must be a UUID like 497f6eca-6276-4993-bfeb-53cbbbba6f08")
	}
	return nil
}

// Length refuses a string with fewer than lo or more than hi characters, and
// what Text refuses. When lo is at least 1 it also refuses a string of only
// white space, which the server trims to nothing (see NotEmpty). The most is
// counted once surrounding white space is trimmed, as Django REST
// framework's CharField trims before it checks max_length.
func Length(field, v string, lo, hi int) error {
	if err := Text(field, v); err != nil {
		return err
	}
	n := utf8.RuneCountInString(v)
	kept := utf8.RuneCountInString(Trim(v))
	switch {
	case n < lo && lo == 1:
		return apierror.Invalid(field, "must not be empty")
	case lo >= 1 && kept == 0:
		return apierror.Invalid(field, "must not be blank (only white space)")
	case n < lo:
		return apierror.Invalid(field, "must have at least %d characters, has %d", lo, n)
	case kept > hi:
		return apierror.Invalid(field, "must have at most %d characters (surrounding white space aside), has %d", hi, kept)
	}
	return nil
}

// slugPattern is Django's slug: letters, digits, hyphens and underscores.
var slugPattern = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// Slug refuses a slug outside ^[-a-zA-Z0-9_]+$ or longer than hi characters.
func Slug(field, v string, hi int) error {
	if err := Length(field, v, 1, hi); err != nil {
		return err
	}
	if !slugPattern.MatchString(v) {
		return apierror.Invalid(field, "may hold only letters, digits, hyphens and underscores")
	}
	return nil
}

// Email refuses an address that is not one mailbox (as net/mail reads it,
// without a display name) or that has more than hi characters.
func Email(field, v string, hi int) error {
	if err := Length(field, v, 1, hi); err != nil {
		return err
	}
	at := strings.LastIndexByte(v, '@')
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || at < 0 || !emailLocal(v[:at]) || !emailDomain(v[at+1:]) {
		return apierror.Invalid(field, "must be an email address like name@example.com")
	}
	return nil
}

// emailLocal reports whether l is a local part (before the "@") Django's
// EmailValidator accepts: dot-separated atoms of ASCII letters, digits and
// !#$%&'*+/=?^_`{|}~-. net/mail alone would let through letters beyond ASCII
// and invisible characters such as a byte-order mark, which the server
// refuses. Quoted local parts ("ana smith"@example.com), which Django accepts,
// are refused: rare, and easy to get wrong in a CSV or a shell.
func emailLocal(l string) bool {
	for _, atom := range strings.Split(l, ".") {
		if atom == "" {
			return false
		}
		for i := 0; i < len(atom); i++ {
			c := atom[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+/=?^_`{|}~-", c) >= 0) {
				return false
			}
		}
	}
	return true
}

// idnRune reports whether r, beyond ASCII, may appear in an international
// domain label: letters, combining marks (which most Indic scripts need),
// digits, and the zero-width joiner and non-joiner. Django converts such a
// domain to punycode before its check, which accepts them.
func idnRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '\u200c' || r == '\u200d'
}

// emailDomain reports whether d is a domain Django's EmailValidator (the
// server's check) accepts: dot-separated labels of letters, digits and
// hyphens, each 1 to 63 long and not starting or ending with a hyphen, the
// last at least 2 long. Beyond ASCII, the characters of international domain
// names count too (see idnRune), as Django accepts them. It is stricter than
// Django in two ways: "localhost" and address literals ("[192.0.2.1]") are
// refused, as no invitation or account should go to them.
func emailDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for i, l := range labels {
		n := utf8.RuneCountInString(l)
		if n == 0 || n > 63 || l[0] == '-' || l[len(l)-1] == '-' || (i == len(labels)-1 && n < 2) {
			return false
		}
		for _, r := range l {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f && idnRune(r)) {
				return false
			}
		}
	}
	return true
}

// PositiveItems refuses a list of ids holding zero or a negative number.
func PositiveItems(field string, ids []int) error {
	for i, id := range ids {
		if id <= 0 {
			return apierror.Invalid(field, "item %d must be a positive integer, got %d", i, id)
		}
	}
	return nil
}

// PositiveIfSet refuses a set pointer to zero or a negative number; nil is
// accepted (the parameter is not sent).
func PositiveIfSet(field string, v *int) error {
	if v == nil {
		return nil
	}
	return Positive(field, *v)
}
