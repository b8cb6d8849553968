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

// Operations is every operation of the API, by number: the one table the
// SDK's documentation (docs/OPERATIONS.md), its fake server (accountstest),
// its contract test (openapi.yaml), its canary test and internal/once (Kind,
// for the writes) read. Adding an operation starts with a line here;
// CONTRIBUTING.md has the rest.
var Operations = []Operation{
	{N: 1, Method: "GET", Path: Countries, Calls: calls("Countries.List", "Countries.All")},
	{N: 2, Method: "GET", Path: template(Country, "id"), Calls: calls("Countries.Get")},
	{N: 3, Method: "GET", Path: UserConfig, Calls: calls("UserConfig.Get")},
	{N: 4, Method: "PATCH", Path: UserConfig, Calls: calls("UserConfig.Patch"), Kind: Repeat, How: "sets the given fields again"},
	{N: 5, Method: "GET", Path: Workspaces, Calls: calls("Workspaces.List", "Workspaces.All")},
	{N: 6, Method: "POST", Path: Invitations, Calls: calls("Invitations.Send"), Chosen: true, Kind: Recover, How: `sent again; the server's "already pending" refusal proves the first arrived (no id: the API gave none)`},
	{N: 7, Method: "GET", Path: template(Invitation, "id"), Calls: calls("Invitations.Status"), Chosen: true},
	{N: 8, Method: "GET", Path: Users, Calls: calls("Users.List", "Users.All"), Note: "two answer shapes"},
	{N: 9, Method: "GET", Path: UsersMe, Calls: calls("Users.Me")},
	{N: 10, Method: "GET", Path: CurrentUserLegacy, Calls: calls("Users.Current"), Chosen: true, Note: "deprecated: use `GET " + UsersMe + "`"},
	{N: 11, Method: "GET", Path: MyWorkspaces, Calls: calls("Workspaces.ListMemberships", "Workspaces.AllMemberships"), Chosen: true},
	{N: 12, Method: "POST", Path: SwitchWorkspace, Calls: calls("Workspaces.Switch"), Chosen: true, Kind: Repeat, How: "switches to the same workspace again"},
	{N: 13, Method: "GET", Path: Analysts, Calls: calls("Analysts.List", "Analysts.All")},
	{N: 14, Method: "GET", Path: CurrentAnalyst, Calls: calls("Analysts.Me")},
	{N: 15, Method: "PATCH", Path: CurrentAnalyst, Calls: calls("Analysts.PatchMe"), Kind: Repeat, How: "sets the given fields again"},
	{N: 16, Method: "GET", Path: Groups, Calls: calls("Groups.List", "Groups.All")},
	{N: 17, Method: "GET", Path: Invites, Calls: calls("Invitations.List", "Invitations.All")},
	{N: 18, Method: "POST", Path: Invites, Calls: calls("Invitations.Create"), Kind: Recover, How: "looked up among the organization's invitations by invitee identifier and role"},
	{N: 19, Method: "GET", Path: template(Invite, "uuid"), Calls: calls("Invitations.Get")},
	{N: 20, Method: "POST", Path: template(Invite, "uuid"), Calls: calls("Invitations.Resend"), Kind: Never, How: "would send the invitation twice"},
	{N: 21, Method: "DELETE", Path: template(Invite, "uuid"), Calls: calls("Invitations.Revoke"), Kind: Repeat, How: "revoked again; 404 after a retry is success"},
	{N: 22, Method: "POST", Path: LoginURL, Calls: calls("LoginURL"), Kind: Repeat, How: "asks for the login URL again"},
	{N: 23, Method: "GET", Path: Organizations, Calls: calls("Organizations.List", "Organizations.All")},
	{N: 24, Method: "POST", Path: Organizations, Calls: calls("Organizations.Create"), Kind: Recover, How: "looked up by slug"},
	{N: 25, Method: "GET", Path: template(Organization, "uuid"), Calls: calls("Organizations.Get")},
	{N: 26, Method: "PUT", Path: template(Organization, "uuid"), Calls: calls("Organizations.Update"), Kind: Repeat, How: "replaces with the same fields again"},
	{N: 27, Method: "PATCH", Path: template(Organization, "uuid"), Calls: calls("Organizations.Patch"), Kind: Repeat, How: "sets the given fields again"},
	{N: 28, Method: "DELETE", Path: template(Organization, "uuid"), Calls: calls("Organizations.Delete"), Kind: Repeat, How: "deleted again; 404 after a retry is success"},
	{N: 29, Method: "POST", Path: template(OrganizationIncrement, "uuid"), Calls: calls("Organizations.Increment"), Kind: Never, How: "would count the usage twice"},
	{N: 30, Method: "GET", Path: Portal, Calls: calls("Portal"), Note: "a redirect is reported, not followed"},
	{N: 31, Method: "POST", Path: Users, Calls: calls("Users.Create"), Kind: Recover, How: "looked up by email (a user created without an email cannot be recovered)"},
	{N: 32, Method: "GET", Path: template(User, "uuid"), Calls: calls("Users.Get")},
	{N: 33, Method: "PUT", Path: template(User, "uuid"), Calls: calls("Users.Update"), Kind: Repeat, How: "replaces with the same fields again"},
	{N: 34, Method: "PATCH", Path: template(User, "uuid"), Calls: calls("Users.Patch"), Kind: Repeat, How: "sets the given fields again"},
	{N: 35, Method: "DELETE", Path: template(User, "uuid"), Calls: calls("Users.Delete"), Kind: Repeat, How: "deleted again; 404 after a retry is success"},
}

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
