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
type Fault int

// The faults the server can inject. Status faults answer in place of the
// operation, which then does nothing; FaultDropAfterRead and FaultTruncate
// perform the operation first, as a server that fails while answering does.
const (
	// Fault500 answers 500 with Django's error body.
	Fault500 Fault = iota + 1
	// Fault502 answers 502 with a proxy's HTML page.
	Fault502
	// Fault503 answers 503 without Retry-After.
	Fault503
	// Fault503RetryAfter answers 503 with Retry-After (Faults.RetryAfter).
	Fault503RetryAfter
	// Fault429 answers 429 with Retry-After (Faults.RetryAfter).
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
)

// AllFaults returns every kind of fault.
func AllFaults() []Fault {
	return []Fault{Fault500, Fault502, Fault503, Fault503RetryAfter, Fault429, FaultDropBeforeRead, FaultDropAfterRead, FaultTruncate}
}

// String names the fault as FaultCounts and test logs print it, such as "503"
// or "drop before read".
func (f Fault) String() string {
	names := map[Fault]string{
		Fault500: "500", Fault502: "502", Fault503: "503", Fault503RetryAfter: "503+Retry-After", Fault429: "429",
		FaultDropBeforeRead: "drop before read", FaultDropAfterRead: "drop after read", FaultTruncate: "truncated body",
	}
	if n, ok := names[f]; ok {
		return n
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
	// Kinds are the faults to draw from, with equal chances; nil means all.
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
	out := FaultCounts{Requests: s.faultCounts.Requests, Injected: map[Fault]int{}}
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

// serveWithFault answers r with fault k, calling handle when the fault
// performs the operation. It reports false when k is 0 (no fault).
func (s *Server) serveWithFault(w http.ResponseWriter, r *http.Request, k Fault, f Faults, handle func(http.ResponseWriter, *http.Request)) bool {
	if f.Latency > 0 {
		if err := sleepCtx(r.Context(), f.Latency); err != nil {
			return true
		}
	}
	retryAfter := strconv.Itoa(max(f.RetryAfter, 0))
	switch k {
	case 0:
		return false
	case Fault500:
		writeJSON(w, http.StatusInternalServerError, detail("A server error occurred."))
	case Fault502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>\n")
	case Fault503:
		writeJSON(w, http.StatusServiceUnavailable, detail("Service temporarily unavailable, try again later."))
	case Fault503RetryAfter:
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusServiceUnavailable, detail("Service temporarily unavailable, try again later."))
	case Fault429:
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusTooManyRequests, detail("Request was throttled. Expected available in "+retryAfter+" seconds."))
	case FaultDropBeforeRead:
		hangUp(w, nil)
	case FaultDropAfterRead, FaultTruncate:
		rec := httptest.NewRecorder()
		handle(rec, r)
		if k == FaultDropAfterRead {
			hangUp(w, nil)
			return true
		}
		hangUp(w, func(bw *bufio.ReadWriter) {
			res := rec.Result()
			body := rec.Body.Bytes()
			fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", res.StatusCode, http.StatusText(res.StatusCode))
			res.Header.Set("Content-Length", strconv.Itoa(len(body)))
			_ = res.Header.Write(bw)
			_, _ = bw.WriteString("\r\n")
			_, _ = bw.Write(body[:len(body)/2])
		})
	}
	return true
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
