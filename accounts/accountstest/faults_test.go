package accountstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// outcomes sends the same requests to a fresh server with faults f and
// returns each answer's status, or "dropped".
func outcomes(t *testing.T, f Faults) ([]string, FaultCounts) {
	t.Helper()
	s := newTestServer(t, WithFaults(f))
	var out []string
	for i := range 60 {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/accounts/countries?limit=5&offset=%d", strings.TrimSuffix(s.URL(), "/api/"), (i%20)*5), nil)
		req.Header.Set("Authorization", "Bearer "+OwnerToken)
		resp, err := http.DefaultTransport.(*http.Transport).Clone().RoundTrip(req)
		if err != nil {
			out = append(out, "dropped")
			continue
		}
		buf := make([]byte, 1<<16)
		n, rerr := resp.Body.Read(buf)
		for rerr == nil {
			var k int
			k, rerr = resp.Body.Read(buf[n:])
			n += k
		}
		resp.Body.Close()
		if rerr != nil && rerr.Error() != "EOF" {
			out = append(out, fmt.Sprint(resp.StatusCode, " cut"))
			continue
		}
		out = append(out, fmt.Sprint(resp.StatusCode))
	}
	return out, s.FaultCounts()
}

func TestFaultsReplayFromTheSeed(t *testing.T) {
	a, ca := outcomes(t, Faults{Rate: 0.3, Seed: 11})
	b, _ := outcomes(t, Faults{Rate: 0.3, Seed: 11})
	c, _ := outcomes(t, Faults{Rate: 0.3, Seed: 12})
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if fmt.Sprint(a) == fmt.Sprint(c) {
		t.Error("another seed gave the same faults")
	}
	if ca.Requests != 60 || ca.Total() < 5 || ca.Total() > 35 {
		t.Errorf("counts = %+v", ca)
	}
	seen := map[string]bool{}
	for _, o := range a {
		seen[o] = true
	}
	for _, want := range []string{"200", "dropped", "502"} {
		if !seen[want] {
			t.Errorf("no %q outcome among %v", want, a)
		}
	}
}

func TestFaultsOffByDefaultAndSelectable(t *testing.T) {
	none, c := outcomes(t, Faults{})
	for _, o := range none {
		if o != "200" {
			t.Fatalf("fault without faults set: %v", none)
		}
	}
	if c.Total() != 0 {
		t.Errorf("counts = %+v", c)
	}
	only429, c := outcomes(t, Faults{Rate: 1, Kinds: []Fault{Fault429}, RetryAfter: 3})
	for _, o := range only429 {
		if o != "429" {
			t.Fatalf("outcomes = %v", only429)
		}
	}
	if c.Injected[Fault429] != 60 {
		t.Errorf("counts = %+v", c)
	}
}

func TestFaultTruncateCutsTheBody(t *testing.T) {
	cut, c := outcomes(t, Faults{Rate: 1, Kinds: []Fault{FaultTruncate}})
	for _, o := range cut {
		if o != "200 cut" {
			t.Fatalf("outcomes = %v", cut)
		}
	}
	if c.Injected[FaultTruncate] != 60 {
		t.Errorf("counts = %+v", c)
	}
}

// TestFaultTruncateAtCloseEndsCleanly: the answer declares no length and no
// chunking, so a client reads half the body to a clean end, with no error to
// tell it was cut but the unfinished JSON.
func TestFaultTruncateAtCloseEndsCleanly(t *testing.T) {
	s := newTestServer(t, WithFaults(Faults{Rate: 1, Kinds: []Fault{FaultTruncateAtClose}}))
	req, _ := http.NewRequest("GET", strings.TrimSuffix(s.URL(), "/api/")+"/api/accounts/countries/NL", nil)
	req.Header.Set("Authorization", "Bearer "+OwnerToken)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || resp.ContentLength != -1 || len(resp.TransferEncoding) != 0 || len(b) == 0 || json.Valid(b) {
		t.Errorf("status %d, length %d, encoding %v, body %q, read error %v; want a 200 of unfinished JSON ending cleanly",
			resp.StatusCode, resp.ContentLength, resp.TransferEncoding, b, err)
	}
}

func TestFaultRetryAfter(t *testing.T) {
	s := newTestServer(t, WithFaults(Faults{Rate: 1, Kinds: []Fault{Fault503RetryAfter}, RetryAfter: 2}))
	status, h, b := call(t, s, "GET", "/api/accounts/countries", OwnerToken, "", "")
	if status != 503 || h.Get("Retry-After") != "2" || !strings.Contains(string(b), "detail") {
		t.Errorf("%d %v %s", status, h, b)
	}
}

// post sends one POST on a connection of its own (no connection reuse, so
// net/http never repeats it) and returns the status, Content-Type and body;
// status 0 when the connection was dropped, and "cut" appended to the body
// when it was cut short.
func post(t *testing.T, s *Server, path, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", strings.TrimSuffix(s.URL(), "/api/")+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+OwnerToken)
	req.Header.Set("Content-Type", "application/json")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, "", ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		b = append(b, "cut"...)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// TestEveryFaultKind injects each kind into an organization invitation's
// creation and checks its answer, whether the invitation was created (the
// kind's phase) and how FaultCounts reports it.
func TestEveryFaultKind(t *testing.T) {
	cases := []struct {
		kind   Fault
		status int    // 0: no answer
		ctype  string // prefix of the Content-Type
		body   string // held by the body
		acted  bool
	}{
		{Fault500, 500, "text/html", "<h1>Server Error (500)</h1>", false},
		{Fault502, 502, "text/html", "<h1>502 Bad Gateway</h1>", false},
		{Fault503, 503, "application/json", `"detail":"Service temporarily unavailable`, false},
		{Fault503RetryAfter, 503, "application/json", `"detail"`, false},
		{Fault429, 429, "application/json", "Request was throttled", false},
		{FaultDropBeforeRead, 0, "", "", false},
		{FaultDropAfterRead, 0, "", "", true},
		{FaultTruncate, 201, "application/json", "cut", true},
		{Fault504, 504, "text/html", "<h1>504 Gateway Timeout</h1>", false},
		{FaultGatewayProblem, 502, "application/problem+json", `"status":502`, false},
		{Fault502AfterActing, 502, "text/html", "<h1>502 Bad Gateway</h1>", true},
		{Fault504AfterActing, 504, "text/html", "<h1>504 Gateway Timeout</h1>", true},
		{FaultTruncateAtClose, 201, "application/json", `{"`, true}, // half, read to a clean end
	}
	if len(cases) != len(AllFaults()) {
		t.Fatalf("%d cases for %d kinds", len(cases), len(AllFaults()))
	}
	for _, tc := range cases {
		t.Run(tc.kind.String(), func(t *testing.T) {
			s := newTestServer(t, WithFaults(Faults{Rate: 1, Kinds: []Fault{tc.kind}}))
			status, ctype, body := post(t, s, "/api/accounts/invite/", `{"invitee_identifier":"x@example.com"}`)
			if status != tc.status || !strings.HasPrefix(ctype, tc.ctype) || !strings.Contains(body, tc.body) {
				t.Errorf("answer %d %q %.200q, want %d %q holding %q", status, ctype, body, tc.status, tc.ctype, tc.body)
			}
			if n := len(s.Invitations()); (n == 1) != tc.acted || n > 1 {
				t.Errorf("%d invitations on the server, acted = %v", n, tc.acted)
			}
			if tc.kind.ActsFirst() != tc.acted {
				t.Errorf("ActsFirst = %v", tc.kind.ActsFirst())
			}
			fc := s.FaultCounts()
			lost := 0
			if tc.acted {
				lost = 1
			}
			if fc.Requests != 1 || fc.Injected[tc.kind] != 1 || fc.Total() != 1 || fc.AfterActing() != lost || fc.LostWrites != lost {
				t.Errorf("counts %+v, after acting %d", fc, fc.AfterActing())
			}
		})
	}
}

// TestGatewayProblemIsRFC9457 checks the problem document's members.
func TestGatewayProblemIsRFC9457(t *testing.T) {
	s := newTestServer(t, WithFaults(Faults{Rate: 1, Kinds: []Fault{FaultGatewayProblem}}))
	status, h, b := call(t, s, "GET", "/api/accounts/countries/NL", OwnerToken, "", "")
	var p struct {
		Type, Title, Detail string
		Status              int
	}
	if err := json.Unmarshal(b, &p); err != nil || status != 502 || h.Get("Content-Type") != "application/problem+json" ||
		p.Type != "about:blank" || p.Title != "Bad Gateway" || p.Status != 502 || p.Detail == "" {
		t.Errorf("%d %s %+v %v", status, h.Get("Content-Type"), p, err)
	}
}

// TestLostWritesCountOnlySuccessfulWrites: a read whose answer is lost, or a
// write the operation refused, is injected after acting but changed nothing.
func TestLostWritesCountOnlySuccessfulWrites(t *testing.T) {
	s := newTestServer(t, WithFaults(Faults{Rate: 1, Kinds: []Fault{Fault504AfterActing}}))
	call(t, s, "GET", "/api/accounts/countries/NL", OwnerToken, "", "")
	post(t, s, "/api/accounts/invite/", `{"invitee_identifier":""}`) // 400 before the proxy's 504
	if fc := s.FaultCounts(); fc.AfterActing() != 2 || fc.LostWrites != 0 {
		t.Errorf("counts %+v", fc)
	}
}

// TestLosingAnswersAfterActing creates 100 invitations while one answer in
// five is lost after acting: every one is created, the client hears of
// exactly the others, and the same seed loses the same answers.
func TestLosingAnswersAfterActing(t *testing.T) {
	run := func(seed int64) (heard []int, fc FaultCounts) {
		s := newTestServer(t, WithFaults(Faults{Rate: 0.2, Seed: seed, Kinds: AfterActingFaults()}))
		for i := range 100 {
			status, _, body := post(t, s, "/api/accounts/invite/", fmt.Sprintf(`{"invitee_identifier":"lost%03d@example.com"}`, i))
			if status == 201 && !strings.HasSuffix(body, "cut") && json.Valid([]byte(body)) { // a cut without a length reads cleanly
				heard = append(heard, i)
			}
		}
		if n := len(s.Invitations()); n != 100 {
			t.Errorf("seed %d: %d invitations on the server, want 100", seed, n)
		}
		return heard, s.FaultCounts()
	}
	a, fa := run(5)
	b, _ := run(5)
	c, _ := run(6)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("same seed, other answers lost:\n%v\n%v", a, b)
	}
	if fmt.Sprint(a) == fmt.Sprint(c) {
		t.Error("another seed lost the same answers")
	}
	if fa.LostWrites != 100-len(a) || fa.AfterActing() != fa.LostWrites || fa.LostWrites < 5 || fa.LostWrites > 40 {
		t.Errorf("heard %d of 100; counts %+v", len(a), fa)
	}
	for k := range fa.Injected {
		if !k.ActsFirst() {
			t.Errorf("%v injected", k)
		}
	}
}

// TestDefaultKindsAreEveryKind: with Kinds nil, every kind is drawn.
func TestDefaultKindsAreEveryKind(t *testing.T) {
	s := newTestServer(t, WithFaults(Faults{Rate: 1, Seed: 3}))
	for i := range 300 {
		_, _, _ = send(s, "GET", fmt.Sprintf("/api/accounts/countries?offset=%d", i), OwnerToken, "")
	}
	fc := s.FaultCounts()
	for _, k := range AllFaults() {
		if fc.Injected[k] == 0 {
			t.Errorf("%v never drawn in %d faults: %+v", k, fc.Total(), fc.Injected)
		}
	}
}

// TestErrorPagesAndJSON404s: Django's HTML pages where Django answers, DRF's
// JSON where a view of a known route answers.
func TestErrorPagesAndJSON404s(t *testing.T) {
	s := newTestServer(t)
	status, h, b := call(t, s, "GET", "/api/accounts/nowhere/", OwnerToken, "", "")
	if status != 404 || h.Get("Content-Type") != "text/html; charset=utf-8" ||
		!strings.Contains(string(b), "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>") {
		t.Errorf("unknown path: %d %s %s", status, h.Get("Content-Type"), b)
	}
	status, h, b = call(t, s, "GET", "/api/accounts/organizations/00000000-0000-0000-0000-000000000000/", OwnerToken, "", "")
	if status != 404 || h.Get("Content-Type") != "application/json" || !strings.Contains(string(b), `"detail":`) {
		t.Errorf("unknown object: %d %s %s", status, h.Get("Content-Type"), b)
	}
}
