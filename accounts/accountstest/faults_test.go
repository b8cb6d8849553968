package accountstest

import (
	"fmt"
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

func TestFaultRetryAfter(t *testing.T) {
	s := newTestServer(t, WithFaults(Faults{Rate: 1, Kinds: []Fault{Fault503RetryAfter}, RetryAfter: 2}))
	status, h, b := call(t, s, "GET", "/api/accounts/countries", OwnerToken, "", "")
	if status != 503 || h.Get("Retry-After") != "2" || !strings.Contains(string(b), "detail") {
		t.Errorf("%d %v %s", status, h, b)
	}
}
