// Package endpoints is the one place that knows the Accounts API's paths.
//
// Every path is relative to the client's base URL (which ends in "/"), and is
// written exactly as the server routes it: some operations have a trailing slash
// and some do not. Paths marked "chosen" (here and in docs/OPERATIONS.md, the
// table of every operation generated from Operations) were not given by the
// source documents; a correction to any path is a one-line change here. The SDK
// services call the constants and functions; Operations, the table of every
// operation built from them, is what the accountstest server routes by and what
// the documentation, contract and canary tests read.
//
// Functions that take an identifier escape it as one path segment, so an id such
// as "../x" can never change which resource is addressed.
package endpoints

import "net/url"

// Paths of all the operations (seeds 000, 001 and 002), by operation number.
const (
	Countries            = "accounts/countries"                  // op 1
	UserConfig           = "accounts/user-config"                // ops 3, 4
	Workspaces           = "accounts/workspaces"                 // op 5
	Invitations          = "accounts/invitations/"               // op 6 (chosen)
	Users                = "accounts/users/"                     // ops 8, 31
	UsersMe              = "accounts/users/me/"                  // op 9
	CurrentUserLegacy    = "accounts/user/"                      // op 10 (chosen), deprecated
	MyWorkspaces         = "accounts/users/me/workspaces/"       // op 11 (chosen)
	SwitchWorkspace      = "accounts/users/me/switch-workspace/" // op 12 (chosen)
	Analysts             = "accounts/analysts/"                  // op 13
	CurrentAnalyst       = "accounts/analysts/current/"          // ops 14, 15
	Groups               = "accounts/groups/"                    // op 16
	Invites              = "accounts/invite/"                    // ops 17, 18
	LoginURL             = "accounts/login_url/"                 // op 22
	Organizations        = "accounts/organizations/"             // ops 23, 24
	Portal               = "accounts/portal/"                    // op 30
	countryPrefix        = Countries + "/"
	invitationPrefix     = Invitations
	invitePrefix         = Invites
	organizationPrefix   = Organizations
	userPrefix           = Users
	organizationIncrease = "/increment/"
)

// Country is the path of one country (op 2).
func Country(id string) string { return countryPrefix + segment(id) }

// Invitation is the path of one email invitation's status (op 7, chosen).
func Invitation(id string) string { return invitationPrefix + segment(id) + "/" }

// Invite is the path of one organization invitation (ops 19, 20, 21).
func Invite(uuid string) string { return invitePrefix + segment(uuid) + "/" }

// Organization is the path of one organization (ops 25 to 28).
func Organization(uuid string) string { return organizationPrefix + segment(uuid) + "/" }

// OrganizationIncrement is the path that increments an organization's usage (op 29).
func OrganizationIncrement(uuid string) string {
	return organizationPrefix + segment(uuid) + organizationIncrease
}

// User is the path of one user by UUID (ops 32 to 35).
func User(uuid string) string { return userPrefix + segment(uuid) + "/" }

// segment escapes s as a single path segment. url.PathEscape escapes "/" but
// leaves "." alone, so the dot segments "." and ".." are spelled out as escapes:
// a client and every proxy then see them as ordinary names, never as "go up".
func segment(s string) string {
	switch s {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(s)
}
