package endpoints

import (
	"net/url"
	"strings"
)

// Operation is one operation of the Accounts API as the SDK serves it.
type Operation struct {
	// N is the operation's number: its place in Operations, counted from 1,
	// and the number openapi.yaml's summary and docs/OPERATIONS.md give it.
	N int
	// Method is the HTTP method.
	Method string
	// Path is the path template, relative to the base URL, with "{id}" or
	// "{uuid}" where one escaped identifier segment goes, such as
	// "accounts/invite/{uuid}/". It is built from this package's constants
	// and functions, which the SDK's services call.
	Path string
	// Calls are the SDK's calls that make the operation, as
	// "client.Service.Method" or "client.Method".
	Calls []string
	// Chosen reports that the API's own documents do not give the path: it
	// is the SDK's assumption (ENDPOINTS.md's "chosen" paths).
	Chosen bool
	// Note is a short remark for docs/OPERATIONS.md, or "".
	Note string
}

// Operations is every operation of the API, by number: the one table the
// SDK's documentation (docs/OPERATIONS.md), its fake server (accountstest),
// its contract test (openapi.yaml) and its canary test read. Adding an
// operation starts with a line here; CONTRIBUTING.md has the rest.
var Operations = []Operation{
	{N: 1, Method: "GET", Path: Countries, Calls: calls("Countries.List", "Countries.All")},
	{N: 2, Method: "GET", Path: template(Country, "id"), Calls: calls("Countries.Get")},
	{N: 3, Method: "GET", Path: UserConfig, Calls: calls("UserConfig.Get")},
	{N: 4, Method: "PATCH", Path: UserConfig, Calls: calls("UserConfig.Patch")},
	{N: 5, Method: "GET", Path: Workspaces, Calls: calls("Workspaces.List", "Workspaces.All")},
	{N: 6, Method: "POST", Path: Invitations, Calls: calls("Invitations.Send"), Chosen: true},
	{N: 7, Method: "GET", Path: template(Invitation, "id"), Calls: calls("Invitations.Status"), Chosen: true},
	{N: 8, Method: "GET", Path: Users, Calls: calls("Users.List", "Users.All"), Note: "two answer shapes"},
	{N: 9, Method: "GET", Path: UsersMe, Calls: calls("Users.Me")},
	{N: 10, Method: "GET", Path: CurrentUserLegacy, Calls: calls("Users.Current"), Chosen: true, Note: "deprecated: use `GET " + UsersMe + "`"},
	{N: 11, Method: "GET", Path: MyWorkspaces, Calls: calls("Workspaces.ListMemberships", "Workspaces.AllMemberships"), Chosen: true},
	{N: 12, Method: "POST", Path: SwitchWorkspace, Calls: calls("Workspaces.Switch"), Chosen: true},
	{N: 13, Method: "GET", Path: Analysts, Calls: calls("Analysts.List", "Analysts.All")},
	{N: 14, Method: "GET", Path: CurrentAnalyst, Calls: calls("Analysts.Current")},
	{N: 15, Method: "PATCH", Path: CurrentAnalyst, Calls: calls("Analysts.PatchCurrent")},
	{N: 16, Method: "GET", Path: Groups, Calls: calls("Groups.List", "Groups.All")},
	{N: 17, Method: "GET", Path: Invites, Calls: calls("Invitations.List", "Invitations.All")},
	{N: 18, Method: "POST", Path: Invites, Calls: calls("Invitations.Create")},
	{N: 19, Method: "GET", Path: template(Invite, "uuid"), Calls: calls("Invitations.Get")},
	{N: 20, Method: "POST", Path: template(Invite, "uuid"), Calls: calls("Invitations.Resend")},
	{N: 21, Method: "DELETE", Path: template(Invite, "uuid"), Calls: calls("Invitations.Revoke")},
	{N: 22, Method: "POST", Path: LoginURL, Calls: calls("LoginURL")},
	{N: 23, Method: "GET", Path: Organizations, Calls: calls("Organizations.List", "Organizations.All")},
	{N: 24, Method: "POST", Path: Organizations, Calls: calls("Organizations.Create")},
	{N: 25, Method: "GET", Path: template(Organization, "uuid"), Calls: calls("Organizations.Get")},
	{N: 26, Method: "PUT", Path: template(Organization, "uuid"), Calls: calls("Organizations.Update")},
	{N: 27, Method: "PATCH", Path: template(Organization, "uuid"), Calls: calls("Organizations.Patch")},
	{N: 28, Method: "DELETE", Path: template(Organization, "uuid"), Calls: calls("Organizations.Delete")},
	{N: 29, Method: "POST", Path: template(OrganizationIncrement, "uuid"), Calls: calls("Organizations.Increment")},
	{N: 30, Method: "GET", Path: Portal, Calls: calls("Portal"), Note: "a redirect is reported, not followed"},
	{N: 31, Method: "POST", Path: Users, Calls: calls("Users.Create")},
	{N: 32, Method: "GET", Path: template(User, "uuid"), Calls: calls("Users.Get")},
	{N: 33, Method: "PUT", Path: template(User, "uuid"), Calls: calls("Users.Update")},
	{N: 34, Method: "PATCH", Path: template(User, "uuid"), Calls: calls("Users.Patch")},
	{N: 35, Method: "DELETE", Path: template(User, "uuid"), Calls: calls("Users.Delete")},
}

// calls names SDK calls relative to the client: "Users.Get" is
// "client.Users.Get".
func calls(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "client." + n
	}
	return out
}

// template renders a path function of this package as a template, with
// {name} where the identifier goes.
func template(f func(string) string, name string) string {
	const mark = "IDENTIFIER"
	return strings.Replace(f(mark), mark, "{"+name+"}", 1)
}

// Param returns the name of the path's identifier ("id" or "uuid"), or ""
// for a path without one.
func (op Operation) Param() string {
	_, rest, ok := strings.Cut(op.Path, "{")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "}")
	return name
}

// String is the operation as a user looks it up: "POST accounts/invite/".
func (op Operation) String() string { return op.Method + " " + op.Path }

// Expand returns the operation's concrete path for the identifier id,
// escaped as one path segment; a path without an identifier is returned
// as it is.
func (op Operation) Expand(id string) string {
	p := op.Param()
	if p == "" {
		return op.Path
	}
	return strings.Replace(op.Path, "{"+p+"}", segment(id), 1)
}

// matchPath reports whether rel, an escaped path relative to the base URL,
// is the operation's path, and returns the identifier it holds, unescaped.
// An identifier is one non-empty segment.
func (op Operation) matchPath(rel string) (string, bool) {
	p := op.Param()
	if p == "" {
		return "", rel == op.Path
	}
	prefix, suffix, _ := strings.Cut(op.Path, "{"+p+"}")
	rest, ok := strings.CutPrefix(rel, prefix)
	if !ok {
		return "", false
	}
	seg, ok := strings.CutSuffix(rest, suffix)
	if !ok || seg == "" || strings.Contains(seg, "/") {
		return "", false
	}
	id, err := url.PathUnescape(seg)
	if err != nil {
		return "", false
	}
	return id, true
}

// AtPath returns the operations whose path is rel, an escaped path relative
// to the base URL (such as "accounts/invite/abc/"), and the identifier the
// path holds, unescaped. A path without an identifier wins over a template:
// "accounts/users/me/" is the current user, not the user with UUID "me".
// It returns nil when no operation has that path.
func AtPath(rel string) (ops []Operation, id string) {
	for _, op := range Operations {
		if op.Param() == "" && rel == op.Path {
			ops = append(ops, op)
		}
	}
	if ops != nil {
		return ops, ""
	}
	for _, op := range Operations {
		if got, ok := op.matchPath(rel); ok {
			ops = append(ops, op)
			id = got
		}
	}
	return ops, id
}

// Match returns the operation a request makes: method, and rel, the escaped
// path relative to the base URL; with the identifier the path holds,
// unescaped. ok is false when no operation has that method and path.
func Match(method, rel string) (op Operation, id string, ok bool) {
	ops, id := AtPath(rel)
	for _, o := range ops {
		if o.Method == method {
			return o, id, true
		}
	}
	return Operation{}, "", false
}
