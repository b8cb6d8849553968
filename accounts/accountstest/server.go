package accountstest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/coolset-go/sdk/internal/endpoints"
)

// Tokens of the server's three users. Send them as "Authorization: Bearer
// <token>" (or "Token <token>").
const (
	// OwnerToken is the owner's token: OWNER of every workspace.
	OwnerToken = "accountstest-owner-token"
	// AdminToken is an administrator's token: ADMIN of about 50 workspaces.
	AdminToken = "accountstest-admin-token"
	// MemberToken is a member's token: MEMBER of about 5 workspaces.
	MemberToken = "accountstest-member-token"
)

// Defaults of the server's options.
const (
	// DefaultSeed is the seed of WithSeed.
	DefaultSeed = 1
	// DefaultWorkspaceCount is the number of workspaces of WithWorkspaceCount.
	DefaultWorkspaceCount = 1200
	// DefaultPageSize is the page size of WithPageSize: the size of a page
	// when the request asks for none.
	DefaultPageSize = 100
	// DefaultMaxPageSize is the cap of WithMaxPageSize on the size a request
	// asks for (limit or page_size), a common max_limit / max_page_size of
	// Django REST framework deployments.
	DefaultMaxPageSize = 1000
	// MaxBody is the largest request body accepted; larger ones get 413.
	MaxBody = 1 << 20
)

// Option configures NewServer.
type Option func(*config)

type config struct {
	seed       int64
	workspaces int
	pageSize   int
	maxPage    int // 0: no cap
	people     int
	faults     *Faults

	invitationRoles []string // at least one

	sessionAuthFirst bool     // credentials refused with 403, no challenge
	linkAddress      *url.URL // where pagination links point instead of the request's address
}

// WithSeed sets the seed the data is generated from; the same seed gives the
// same data.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithWorkspaceCount sets how many workspaces exist (at least 1).
func WithWorkspaceCount(n int) Option { return func(c *config) { c.workspaces = max(n, 1) } }

// WithUserCount sets how many users exist besides the three token users
// (default DefaultUserCount).
func WithUserCount(n int) Option { return func(c *config) { c.people = max(n, 0) } }

// WithPageSize sets the size of a page when a request asks for none (no
// limit, or no page_size), like Django REST framework's PAGE_SIZE (default
// DefaultPageSize, at least 1). As in DRF, WithMaxPageSize caps the size a
// request asks for, not this default.
func WithPageSize(n int) Option { return func(c *config) { c.pageSize = max(n, 1) } }

// WithMaxPageSize caps the size a request may ask for, like Django REST
// framework's max_limit (LimitOffsetPagination) and max_page_size
// (PageNumberPagination): a larger limit or page_size is served n items,
// silently, in every list, the envelopes of both paging styles and the bare
// arrays alike. The default is DefaultMaxPageSize; n <= 0 removes the cap, as
// max_limit = None does.
func WithMaxPageSize(n int) Option { return func(c *config) { c.maxPage = max(n, 0) } }

// WithSessionAuthenticationFirst makes the server refuse missing or unknown
// credentials with 403 Forbidden and no WWW-Authenticate header, in the same
// words, as Django REST framework does when the first of its authentication
// classes sends no challenge: SessionAuthentication, first in DRF's default
// settings. Without it the server answers 401 with a Bearer challenge.
func WithSessionAuthenticationFirst() Option {
	return func(c *config) { c.sessionAuthFirst = true }
}

// WithLinkAddress makes the server write its pagination links (next and
// previous) for address instead of the address the request came to, as a
// Django server behind a proxy does when it does not know how it is reached:
// address replaces the scheme, the host and the "/api/" prefix of the
// request's URL. "http://web:8000/api/" models a proxy that ends TLS at an
// internal host (no SECURE_PROXY_SSL_HEADER, no USE_X_FORWARDED_HOST);
// "http://web:8000/" one that also strips the prefix. An address that does
// not parse as an absolute URL is ignored.
func WithLinkAddress(address string) Option {
	return func(c *config) {
		if u, err := url.Parse(address); err == nil && u.IsAbs() && u.Host != "" {
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
				u.RawPath = ""
			}
			c.linkAddress = u
		}
	}
}

// Server is a running in-memory Accounts API. It is safe for concurrent use.
type Server struct {
	srv *httptest.Server
	cfg config

	mu         sync.Mutex
	countries  []Country
	workspaces []Workspace // by id, id = index+1
	users      map[string]*user
	requests   []Request
	orgs       []Organization
	nextOrgID  int
	rng        *rand.Rand // for identifiers of created resources

	people       []*User // the token users first
	nextPersonID int
	emailInvites []EmailInvitation
	invites      []Invitation

	faults      Faults
	faultSeen   map[uint64]int // times each request was seen, by its hash
	faultCounts FaultCounts
}

// user is one of the server's users and their changing state.
type user struct {
	role        string
	memberships []int // workspace ids, ascending
	active      int
	signed      bool
	person      *User // the user's record in the user list
}

// Request is a request the server received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped URL path.
	Path string
	// RawQuery is the encoded query.
	RawQuery string
	// Header is a copy of the request's headers.
	Header http.Header
}

// NewServer starts a server with seeded data. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{seed: DefaultSeed, workspaces: DefaultWorkspaceCount, pageSize: DefaultPageSize, maxPage: DefaultMaxPageSize, people: DefaultUserCount,
		invitationRoles: DefaultInvitationRoles()}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{cfg: cfg, countries: loadCountries(), workspaces: generateWorkspaces(cfg.seed, cfg.workspaces)}
	s.rng = rand.New(rand.NewPCG(uint64(cfg.seed), 0x0a9_5eed))
	s.orgs = generateOrganizations(s.rng, DefaultOrganizationCount)
	s.nextOrgID = len(s.orgs) + 1
	owner := newUser("OWNER", everyNth(cfg.workspaces, 1, 0))
	admin := newUser("ADMIN", everyNth(cfg.workspaces, max(cfg.workspaces/50, 1), 3))
	member := newUser("MEMBER", everyNth(cfg.workspaces, max(cfg.workspaces/5, 1), 7))
	s.users = map[string]*user{OwnerToken: owner, AdminToken: admin, MemberToken: member}
	s.people = generatePeople(s.rng, []*user{owner, admin, member}, cfg.workspaces, cfg.people)
	s.nextPersonID = len(s.people) + 1
	s.SetFaults(Faults{})
	if cfg.faults != nil {
		s.SetFaults(*cfg.faults)
	}
	s.srv = httptest.NewServer(s)
	return s
}

func newUser(role string, ids []int) *user {
	return &user{role: role, memberships: ids, active: ids[0]}
}

// everyNth returns the ids 1..n whose index is offset modulo step (at least one).
func everyNth(n, step, offset int) []int {
	var ids []int
	for id := 1; id <= n; id++ {
		if (id-1)%step == offset%step {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		ids = []int{1}
	}
	return ids
}

// URL returns the API's base URL, ending in "/api/".
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Workspaces returns every workspace, in id order.
func (s *Server) Workspaces() []Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.workspaces)
}

// MembershipsOf returns the workspaces the token's user belongs to, in id
// order; nil for an unknown token.
func (s *Server) MembershipsOf(token string) []Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[token]
	if u == nil {
		return nil
	}
	out := make([]Workspace, 0, len(u.memberships))
	for _, id := range u.memberships {
		out = append(out, s.workspaces[id-1])
	}
	return out
}

// ActiveWorkspace returns the token's user's active workspace.
func (s *Server) ActiveWorkspace(token string) (Workspace, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[token]
	if u == nil {
		return Workspace{}, false
	}
	return s.workspaces[u.active-1], true
}

// Countries returns every country, in the data file's order.
func (s *Server) Countries() []Country {
	return slices.Clone(s.countries)
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// handler answers one operation; id is the identifier of the request's path,
// unescaped, or "" for a path without one.
type handler func(s *Server, w http.ResponseWriter, r *http.Request, u *user, id string)

// handlers answers each operation of endpoints.Operations, by its number: the
// server routes by that table. Each file of handlers lists its own, next to
// them; TestEveryOperationHasAHandler fails when an operation of the table
// lacks one, and a number listed twice stops the package at start.
var handlers = joinHandlers(workspaceHandlers, accountHandlers, invitationHandlers, organizationHandlers, userHandlers)

// joinHandlers joins maps of handlers, panicking on an operation number
// listed twice.
func joinHandlers(parts ...map[int]handler) map[int]handler {
	all := map[int]handler{}
	for _, part := range parts {
		for n, h := range part {
			if all[n] != nil {
				panic(fmt.Sprintf("accountstest: two handlers for operation %d", n))
			}
			all[n] = h
		}
	}
	return all
}

// withLock runs f holding s.mu. The unlock is deferred, so a panic in f
// cannot leave the lock held and every later request waiting for it.
func (s *Server) withLock(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// reply is an answer decided while holding s.mu and written once the lock is
// released, so that no handler writes to a connection while holding it. The
// body must share nothing with the server's state.
type reply struct {
	status int
	body   any // nil: no body
}

// answer computes a reply holding s.mu, then writes it.
func (s *Server) answer(w http.ResponseWriter, f func() reply) {
	var rp reply
	s.withLock(func() { rp = f() })
	if rp.body == nil {
		w.WriteHeader(rp.status)
		return
	}
	writeJSON(w, rp.status, rp.body)
}

// ServeHTTP answers one request. It routes on the escaped path, so an escaped
// "%2E%2E" segment is an identifier, never "go up". A panic while handling it
// is logged and answered with Django's 500 page, as Django answers an
// unhandled exception (or, when the answer has begun, the connection is
// dropped).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	gw := &guardedWriter{ResponseWriter: w}
	defer recoverHandler(gw, r)
	s.withLock(func() {
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone()})
	})
	if k, f := s.chooseFault(r); s.serveWithFault(gw, r, k, f, s.handle) {
		return
	}
	s.handle(gw, r)
}

// recoverHandler is ServeHTTP's deferred guard against a panicking handler.
func recoverHandler(gw *guardedWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v) // a deliberate hang-up (fault injection)
	}
	log.Printf("accountstest: panic serving %s %s: %v\n%s", r.Method, r.URL.RequestURI(), v, debug.Stack())
	if gw.started {
		panic(http.ErrAbortHandler) // too late for a status: drop the connection
	}
	serverErrorPage(gw)
}

// guardedWriter is the ResponseWriter handlers get: it records whether the
// answer has begun, so that a panic can still be answered 500 before it has.
type guardedWriter struct {
	http.ResponseWriter
	started bool
}

func (g *guardedWriter) WriteHeader(status int) {
	if status >= 200 {
		g.started = true
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *guardedWriter) Write(b []byte) (int, error) {
	g.started = true
	return g.ResponseWriter.Write(b)
}

// Hijack lets fault injection take the connection over.
func (g *guardedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := g.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	g.started = true
	return hj.Hijack()
}

// Unwrap is for http.ResponseController.
func (g *guardedWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// handle routes one request to its operation (endpoints.Operations).
func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	rel, ok := strings.CutPrefix(r.URL.EscapedPath(), "/api/")
	if !ok {
		notFoundPage(w)
		return
	}
	ops, id := endpoints.AtPath(rel)
	if len(ops) == 0 {
		notFoundPage(w)
		return
	}
	u := s.authenticate(w, r)
	if u == nil {
		return
	}
	allowed := make([]string, 0, len(ops))
	for _, op := range ops {
		if op.Method != r.Method {
			allowed = append(allowed, op.Method)
			continue
		}
		h := handlers[op.N]
		if h == nil {
			notFoundPage(w) // an operation without a handler: no view serves it
			return
		}
		h(s, w, r, u, id)
		return
	}
	slices.Sort(allowed)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeJSON(w, http.StatusMethodNotAllowed, detail(`Method "`+r.Method+`" not allowed.`))
}

// authenticate finds the request's user, or refuses the credentials (see
// unauthorized) and returns nil.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) *user {
	h := r.Header.Get("Authorization")
	if h == "" {
		s.unauthorized(w, "Authentication credentials were not provided.")
		return nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "Token") {
		s.unauthorized(w, "Authentication credentials were not provided.")
		return nil
	}
	var u *user
	s.withLock(func() { u = s.users[strings.TrimSpace(token)] })
	if u == nil {
		s.unauthorized(w, "Invalid token.")
		return nil
	}
	return u
}

// unauthorized refuses the request's credentials with msg: 401 with a
// challenge, or 403 without one (WithSessionAuthenticationFirst).
func (s *Server) unauthorized(w http.ResponseWriter, msg string) {
	if s.cfg.sessionAuthFirst {
		writeJSON(w, http.StatusForbidden, detail(msg))
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	writeJSON(w, http.StatusUnauthorized, detail(msg))
}

// detail is Django REST framework's shape for most errors.
func detail(msg string) map[string]string { return map[string]string{"detail": msg} }

// fieldError is Django REST framework's shape for a refused field.
func fieldError(field, msg string) map[string][]string { return map[string][]string{field: {msg}} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// djangoPage writes one of Django's built-in error pages, the ones it answers
// with DEBUG=False when the project has no template of its own: text/html,
// the title as heading, then a paragraph of details.
func djangoPage(w http.ResponseWriter, status int, title, details string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>"+title+"</title>\n</head>\n<body>\n  <h1>"+title+"</h1><p>"+details+"</p>\n</body>\n</html>\n")
}

// notFoundPage is Django's answer for a path no view serves.
func notFoundPage(w http.ResponseWriter) {
	djangoPage(w, http.StatusNotFound, "Not Found", "The requested resource was not found on this server.")
}

// serverErrorPage is Django's answer for an unhandled exception.
func serverErrorPage(w http.ResponseWriter) {
	djangoPage(w, http.StatusInternalServerError, "Server Error (500)", "")
}

// proxyPage is a reverse proxy's error page for status (502 or 504): a short
// HTML page that names the status.
func proxyPage(w http.ResponseWriter, status int) {
	line := strconv.Itoa(status) + " " + http.StatusText(status)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "<html><head><title>"+line+"</title></head><body><h1>"+line+"</h1></body></html>\n")
}

// writeProblem answers an RFC 9457 problem document, as API gateways and
// validating proxies do: type about:blank, so the title is the status text.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	b, _ := json.Marshal(map[string]any{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// readJSON decodes a JSON object body the way Django REST framework's parsers
// do, answering 413, 415 or 400 itself and returning false on failure. An
// empty body is an empty object.
func readJSON(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	var raw []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := body.Read(buf)
		raw = append(raw, buf[:n]...)
		if err != nil {
			var mbe *http.MaxBytesError
			if asMaxBytes(err, &mbe) {
				writeJSON(w, http.StatusRequestEntityTooLarge, detail("Request body too large."))
				return nil, false
			}
			break
		}
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return map[string]any{}, true
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := strings.Cut(ct, ";"); !strings.EqualFold(strings.TrimSpace(mt), "application/json") {
		writeJSON(w, http.StatusUnsupportedMediaType, detail(`Unsupported media type "`+ct+`" in request.`))
		return nil, false
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusBadRequest, detail("JSON parse error - "+err.Error()))
		return nil, false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		writeJSON(w, http.StatusBadRequest, fieldError("non_field_errors", "Invalid data. Expected a dictionary, but got "+jsonKind(v)+"."))
		return nil, false
	}
	return obj, true
}

func asMaxBytes(err error, target **http.MaxBytesError) bool {
	e, ok := err.(*http.MaxBytesError)
	if ok {
		*target = e
	}
	return ok
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case float64:
		return "int"
	case bool:
		return "bool"
	}
	return "NoneType"
}
