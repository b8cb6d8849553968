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
	// Kind is what the SDK does with this write when its answer is lost
	// after the request may have reached the server (internal/once acts on
	// it); 0 for a read, which is always retried.
	Kind Kind
	// How says what Kind means for this write in a few words, for
	// docs/OPERATIONS.md.
	How string
}

// Kind is what the SDK does with a write whose answer was lost.
type Kind int

// The kinds of write; internal/once's documentation explains them.
const (
	// Repeat is a write whose repetition changes nothing: it is retried.
	Repeat Kind = iota + 1
	// Recover is a create: it is looked up, then sent again if absent.
	Recover
	// Never is a write whose repetition would act twice: never repeated.
	Never
)

// String names the kind as the README's table does.
func (k Kind) String() string {
	switch k {
	case Repeat:
		return "retried"
	case Recover:
		return "recovered"
	case Never:
		return "never repeated"
	}
	return "unknown"
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
