package accountstest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// Fault is one kind of failure the server can inject.
//
// Each kind has a phase. Most answer in place of the operation, which then
// does nothing (the server never acted, as when a proxy, a rate limiter or a
// crashed worker answers first). The kinds for which ActsFirst is true perform
// the operation, then lose its answer (a proxy gives up on the upstream after
// it committed, or the connection breaks): the object is created or changed,
// and the client is not told. AfterActingFaults lists them.
type Fault int

// The faults the server can inject.
const (
	// Fault500 answers Django's production error page (DEBUG=False) for an
	// unhandled exception: 500, text/html, "<h1>Server Error (500)</h1>".
	// Nothing is done.
	Fault500 Fault = iota + 1
	// Fault502 answers 502 with a reverse proxy's HTML page (text/html), as
	// when the upstream worker is down. Nothing is done.
	Fault502
	// Fault503 answers 503 with Django REST framework's JSON detail and no
	// Retry-After. Nothing is done.
	Fault503
	// Fault503RetryAfter answers 503 with Retry-After (Faults.RetryAfter).
	// Nothing is done.
	Fault503RetryAfter
	// Fault429 answers 429 with Retry-After (Faults.RetryAfter), as DRF's
	// throttling does. Nothing is done.
	Fault429
	// FaultDropBeforeRead closes the connection before reading the request
	// body: nothing is done, nothing is answered.
	FaultDropBeforeRead
	// FaultDropAfterRead performs the operation, then closes the connection
	// without answering.
	FaultDropAfterRead
	// FaultTruncate performs the operation and sends the status, the headers
	// (with the full Content-Length) and half the body, then closes the
	// connection.
	FaultTruncate
	// Fault504 answers 504 with a reverse proxy's HTML page (text/html), as
	// when the request timed out waiting for a worker. Nothing is done.
	Fault504
	// FaultGatewayProblem answers as an API gateway or validating proxy
	// does: 502, application/problem+json (RFC 9457) with type, title,
	// status and detail. Nothing is done.
	FaultGatewayProblem
	// Fault502AfterActing performs the operation, then answers a reverse
	// proxy's 502 HTML page in place of the operation's answer: the upstream
	// connection broke after the application committed.
	Fault502AfterActing
	// Fault504AfterActing performs the operation, then answers a reverse
	// proxy's 504 HTML page in place of the operation's answer: the proxy
	// gave up waiting after the application committed.
	Fault504AfterActing
	// FaultTruncateAtClose performs the operation and sends the status and
	// the headers without Content-Length (the body ends where the connection
	// closes, as a proxy streaming an HTTP/1.0 upstream answers), then half
	// the body, then closes the connection: the cut arrives as a clean end.
	FaultTruncateAtClose
)

// faultKinds describes every kind, in the order AllFaults returns them.
var faultKinds = []struct {
	kind        Fault
	name        string
	afterActing bool
}{
	{Fault500, "500", false},
	{Fault502, "502", false},
	{Fault503, "503", false},
	{Fault503RetryAfter, "503+Retry-After", false},
	{Fault429, "429", false},
	{FaultDropBeforeRead, "drop before read", false},
	{FaultDropAfterRead, "drop after read", true},
	{FaultTruncate, "truncated body", true},
	{Fault504, "504", false},
	{FaultGatewayProblem, "502 problem+json", false},
	{Fault502AfterActing, "502 after acting", true},
	{Fault504AfterActing, "504 after acting", true},
	{FaultTruncateAtClose, "truncated body, no length", true},
}

// AllFaults returns every kind of fault: what Faults.Kinds nil draws from,
// every failure a real deployment behind a proxy or gateway produces.
func AllFaults() []Fault {
	out := make([]Fault, len(faultKinds))
	for i, k := range faultKinds {
		out[i] = k.kind
	}
	return out
}

// AfterActingFaults returns the kinds that perform the operation and then
// lose its answer (FaultDropAfterRead, FaultTruncate, FaultTruncateAtClose,
// Fault502AfterActing, Fault504AfterActing). Faults{Rate: 0.2, Kinds: AfterActingFaults()} loses
// the answers of one request in five after the server acted.
func AfterActingFaults() []Fault {
	var out []Fault
	for _, k := range faultKinds {
		if k.afterActing {
			out = append(out, k.kind)
		}
	}
	return out
}

// ActsFirst reports whether the server performs the operation before the
// fault takes its answer away; false means the operation is not performed.
func (f Fault) ActsFirst() bool {
	for _, k := range faultKinds {
		if k.kind == f {
			return k.afterActing
		}
	}
	return false
}

// String names the fault as FaultCounts and test logs print it, such as "503"
// or "drop before read".
func (f Fault) String() string {
	for _, k := range faultKinds {
		if k.kind == f {
			return k.name
		}
	}
	return "fault(" + strconv.Itoa(int(f)) + ")"
}

// Faults configures fault injection. The zero value injects nothing.
//
// Whether a request fails, and how, is a function of Seed, the request
// (method, URI and body) and how many times the server has seen that same
// request: the same seed and the same requests give the same faults, whatever
// the order in which concurrent requests arrive, so a failure replays.
type Faults struct {
	// Rate is the share of requests that fail, from 0 to 1.
	Rate float64
	// Kinds are the faults to draw from, with equal chances; nil means
	// AllFaults: every kind, Fault500 and the kinds that act first included.
	// AfterActingFaults gives only the answers lost after acting.
	Kinds []Fault
	// Seed varies which requests fail.
	Seed int64
	// RetryAfter is the Retry-After value, in seconds, of Fault429 and
	// Fault503RetryAfter (default 0: retry at once).
	RetryAfter int
	// Latency delays every request, faulty or not, before it is handled.
	Latency time.Duration
	// Only, when set, limits faults to requests it returns true for (for
	// example, only POSTs); requests it refuses are handled normally.
	Only func(r *http.Request) bool
}

// FaultCounts reports what fault injection did so far.
type FaultCounts struct {
	// Requests is the number of requests received while faults were set.
	Requests int
	// Injected counts the faults injected, by kind.
	Injected map[Fault]int
	// LostWrites counts the answers lost after the server performed a write:
	// requests other than GET, HEAD and OPTIONS that the operation answered
	// 2xx, whose answer a fault that acts first then replaced or cut. Each is
	// a change on the server that the client was not told of.
	LostWrites int
}

// AfterActing is the number of faults injected after the operation was
// performed (the kinds whose ActsFirst is true), whatever it answered.
func (c FaultCounts) AfterActing() int {
	n := 0
	for k, v := range c.Injected {
		if k.ActsFirst() {
			n += v
		}
	}
	return n
}

// Total is the number of faults injected.
func (c FaultCounts) Total() int {
	n := 0
	for _, v := range c.Injected {
		n += v
	}
	return n
}

// WithFaults starts the server with fault injection set (see SetFaults).
func WithFaults(f Faults) Option { return func(c *config) { c.faults = &f } }

// SetFaults replaces the server's fault injection; Faults{} turns it off. The
// count of requests seen, which decides the faults, starts again.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.faultSeen = map[uint64]int{}
	s.faultCounts = FaultCounts{Injected: map[Fault]int{}}
}

// FaultCounts returns what fault injection did since faults were last set.
func (s *Server) FaultCounts() FaultCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := FaultCounts{Requests: s.faultCounts.Requests, Injected: map[Fault]int{}, LostWrites: s.faultCounts.LostWrites}
	for k, v := range s.faultCounts.Injected {
		out.Injected[k] = v
	}
	return out
}

// chooseFault decides the fault of one request, reading (and restoring) its
// body to identify it. It returns 0 for none.
func (s *Server) chooseFault(r *http.Request) (Fault, Faults) {
	var f Faults
	s.withLock(func() { f = s.faults })
	if f.Rate <= 0 && f.Latency <= 0 {
		return 0, f
	}
	if f.Only != nil && !f.Only(r) {
		return 0, f
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
		r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	}
	h := fnv.New64a()
	_ = binary.Write(h, binary.LittleEndian, f.Seed)
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.RequestURI())
	_, _ = h.Write(body)
	key := h.Sum64()

	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultCounts.Requests++
	n := s.faultSeen[key]
	s.faultSeen[key] = n + 1
	if f.Rate <= 0 {
		return 0, f
	}
	d := fnv.New64a()
	_ = binary.Write(d, binary.LittleEndian, key)
	_ = binary.Write(d, binary.LittleEndian, int64(n))
	x := d.Sum64()
	if float64(x>>11)/float64(1<<53) >= f.Rate {
		return 0, f
	}
	kinds := f.Kinds
	if len(kinds) == 0 {
		kinds = AllFaults()
	}
	k := kinds[(x>>3)%uint64(len(kinds))]
	s.faultCounts.Injected[k]++
	return k, f
}

type readCloser struct {
	io.Reader
	io.Closer
}

// serveWithFault answers r with fault k, calling handle first when the fault
// acts first. It reports false when k is 0 (no fault).
func (s *Server) serveWithFault(w http.ResponseWriter, r *http.Request, k Fault, f Faults, handle func(http.ResponseWriter, *http.Request)) bool {
	if f.Latency > 0 {
		if err := sleepCtx(r.Context(), f.Latency); err != nil {
			return true
		}
	}
	if k == 0 {
		return false
	}
	if k.ActsFirst() {
		rec := httptest.NewRecorder()
		handle(rec, r)
		s.lostAnswer(r, rec.Code)
		loseAnswer(w, k, rec)
		return true
	}
	retryAfter := strconv.Itoa(max(f.RetryAfter, 0))
	switch k {
	case Fault500:
		serverErrorPage(w)
	case Fault502:
		proxyPage(w, http.StatusBadGateway)
	case Fault504:
		proxyPage(w, http.StatusGatewayTimeout)
	case FaultGatewayProblem:
		writeProblem(w, http.StatusBadGateway, "The gateway received an invalid response from the upstream server.")
	case Fault503:
		writeJSON(w, http.StatusServiceUnavailable, detail("Service temporarily unavailable, try again later."))
	case Fault503RetryAfter:
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusServiceUnavailable, detail("Service temporarily unavailable, try again later."))
	case Fault429:
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusTooManyRequests, detail("Request was throttled. Expected available in "+retryAfter+" seconds."))
	default: // FaultDropBeforeRead, and any value outside the kinds
		hangUp(w, nil)
	}
	return true
}

// lostAnswer counts a write performed and answered 2xx whose answer a fault
// is about to lose.
func (s *Server) lostAnswer(r *http.Request, status int) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return
	}
	if status >= 200 && status < 300 {
		s.withLock(func() { s.faultCounts.LostWrites++ })
	}
}

// loseAnswer sends, in place of the recorded answer rec, what fault k (one
// that acts first) leaves of it.
func loseAnswer(w http.ResponseWriter, k Fault, rec *httptest.ResponseRecorder) {
	switch k {
	case Fault502AfterActing:
		proxyPage(w, http.StatusBadGateway)
	case Fault504AfterActing:
		proxyPage(w, http.StatusGatewayTimeout)
	case FaultTruncate, FaultTruncateAtClose:
		hangUp(w, func(bw *bufio.ReadWriter) {
			res := rec.Result()
			body := rec.Body.Bytes()
			fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", res.StatusCode, http.StatusText(res.StatusCode))
			if k == FaultTruncate {
				res.Header.Set("Content-Length", strconv.Itoa(len(body)))
			} else {
				res.Header.Del("Content-Length")
				res.Header.Set("Connection", "close")
			}
			_ = res.Header.Write(bw)
			_, _ = bw.WriteString("\r\n")
			_, _ = bw.Write(body[:len(body)/2])
		})
	default: // FaultDropAfterRead
		hangUp(w, nil)
	}
}

// hangUp takes over the connection, writes what write writes (if anything)
// and closes it.
func hangUp(w http.ResponseWriter, write func(*bufio.ReadWriter)) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection without answering
	}
	conn, bw, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if write != nil {
		write(bw)
		_ = bw.Flush()
	}
	_ = conn.Close()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
