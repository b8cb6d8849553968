package accountstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// call sends a request with token (none when "") and returns status, headers
// and body.
func call(t *testing.T, s *Server, method, path, token, contentType, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, strings.TrimSuffix(s.URL(), "/api/")+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func get(t *testing.T, s *Server, path string, out any) int {
	t.Helper()
	status, _, b := call(t, s, "GET", path, OwnerToken, "", "")
	if out != nil && status == 200 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v: %s", path, err, b)
		}
	}
	return status
}

func newTestServer(t *testing.T, opts ...Option) *Server {
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// TestAuth: missing or unknown credentials are refused with 401 and a
// challenge, or, with WithSessionAuthenticationFirst, with 403 and none, in
// the same words.
func TestAuth(t *testing.T) {
	cases := []struct {
		header string
		ok     bool
		detail string
	}{
		{"", false, "Authentication credentials were not provided."},
		{"Basic abc", false, "Authentication credentials were not provided."},
		{"Bearer nope", false, "Invalid token."},
		{"Bearer " + OwnerToken, true, ""},
		{"Token " + AdminToken, true, ""},
		{"bearer " + MemberToken, true, ""},
	}
	for _, sessionFirst := range []bool{false, true} {
		var opts []Option
		refusal := 401
		if sessionFirst {
			opts, refusal = append(opts, WithSessionAuthenticationFirst()), 403
		}
		s := newTestServer(t, opts...)
		for _, tc := range cases {
			req, _ := http.NewRequest("GET", s.URL()+"accounts/user-config", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			want := 200
			if !tc.ok {
				want = refusal
			}
			challenged := resp.Header.Get("WWW-Authenticate") != ""
			if resp.StatusCode != want || (tc.detail != "" && body["detail"] != tc.detail) || challenged != (want == 401) {
				t.Errorf("session first %v, %q: %d %v, challenged %v", sessionFirst, tc.header, resp.StatusCode, body, challenged)
			}
		}
	}
}

func TestDRFErrorShapes(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, method, path, ct, body string
		status                       int
		want                         string
	}{
		{"unknown path", "GET", "/api/accounts/nothing", "", "", 404, "<h1>Not Found</h1>"},
		{"outside /api/", "GET", "/accounts/workspaces", "", "", 404, "<h1>Not Found</h1>"},
		{"trailing slash matters", "GET", "/api/accounts/workspaces/", "", "", 404, "<h1>Not Found</h1>"},
		{"method", "DELETE", "/api/accounts/user-config", "", "", 405, `"Method \"DELETE\" not allowed."`},
		{"media type", "PATCH", "/api/accounts/user-config", "text/plain", `{"sign_stakeholder_agreement":true}`, 415, `Unsupported media type \"text/plain\" in request.`},
		{"malformed JSON", "PATCH", "/api/accounts/user-config", "application/json", `{"sign_`, 400, "JSON parse error"},
		{"not an object", "POST", "/api/accounts/users/me/switch-workspace/", "application/json", `[1]`, 400, "non_field_errors"},
		{"too large", "PATCH", "/api/accounts/user-config", "application/json", `{"x":"` + strings.Repeat("a", MaxBody) + `"}`, 413, "Request body too large."},
		{"bad boolean", "PATCH", "/api/accounts/user-config", "application/json", `{"sign_stakeholder_agreement":"maybe"}`, 400, `{"sign_stakeholder_agreement":["Must be a valid boolean."]}`},
		{"dot-dot id", "GET", "/api/accounts/countries/%2E%2E", "", "", 404, "No Country matches the given query."},
		{"escaped slash id", "GET", "/api/accounts/countries/..%2Fworkspaces", "", "", 404, "No Country matches the given query."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, h, b := call(t, s, tc.method, tc.path, OwnerToken, tc.ct, tc.body)
			if status != tc.status || !strings.Contains(string(b), tc.want) {
				t.Fatalf("%d %s", status, b)
			}
			if status == 405 && h.Get("Allow") != "GET, PATCH" {
				t.Errorf("Allow = %q", h.Get("Allow"))
			}
		})
	}
}

func TestCountries(t *testing.T) {
	s := newTestServer(t)
	var all []Country
	if get(t, s, "/api/accounts/countries", &all); len(all) < 249 {
		t.Fatalf("%d countries", len(all))
	}
	withOfficial := 0
	for _, c := range all {
		if len(c.Alpha2) != 2 || len(c.Alpha3) != 3 || len(c.Numeric) != 3 || c.Flag == nil {
			t.Errorf("country %+v", c)
		}
		if c.OfficialName != nil {
			withOfficial++
		}
	}
	if withOfficial == 0 || withOfficial == len(all) {
		t.Errorf("%d of %d countries have an official name", withOfficial, len(all))
	}
	var page []Country
	get(t, s, "/api/accounts/countries?limit=3&offset=10", &page)
	if !reflect.DeepEqual(page, all[10:13]) {
		t.Errorf("slice = %+v", page)
	}
	get(t, s, "/api/accounts/countries?offset=245", &page)
	if len(page) != len(all)-245 {
		t.Errorf("offset only: %d", len(page))
	}
	for q, want := range map[string]string{"alpha_2=NL": "NL", "alpha_3=NLD": "NL", "numeric=528": "NL", "name=Netherlands": "NL", "search=NETHERL": "NL"} {
		get(t, s, "/api/accounts/countries?"+q, &page)
		if len(page) != 1 || page[0].Alpha2 != want {
			t.Errorf("%s: %+v", q, page)
		}
	}
	var one Country
	if get(t, s, "/api/accounts/countries/nl", &one); one.Name != "Netherlands" {
		t.Errorf("get nl = %+v", one)
	}
}

type wsPage struct {
	Count    int             `json:"count"`
	Next     *string         `json:"next"`
	Previous *string         `json:"previous"`
	Results  []workspaceJSON `json:"results"`
}

func TestWorkspacesWalkLinks(t *testing.T) {
	s := newTestServer(t, WithWorkspaceCount(250), WithPageSize(60))
	link := s.URL() + "accounts/workspaces?type__exclude=test"
	var ids []int
	pages := 0
	for link != "" {
		u, _ := url.Parse(link)
		var p wsPage
		if get(t, s, u.RequestURI(), &p) != 200 {
			t.Fatalf("GET %s failed", link)
		}
		if pages == 0 && p.Previous != nil {
			t.Errorf("first page has previous %q", *p.Previous)
		}
		if pages > 0 && (p.Previous == nil || !strings.Contains(*p.Previous, "type__exclude=test")) {
			t.Errorf("previous link lost the filter: %v", p.Previous)
		}
		for _, w := range p.Results {
			ids = append(ids, w.ID)
		}
		link = ""
		if p.Next != nil {
			link = *p.Next
			if !strings.HasPrefix(link, "http://127.0.0.1") || !strings.Contains(link, "limit=60") {
				t.Errorf("next = %q", link)
			}
		}
		pages++
	}
	want := 0
	for _, w := range s.Workspaces() {
		if w.Type != "test" {
			if want >= len(ids) || ids[want] != w.ID {
				t.Fatalf("walk differs at %d", want)
			}
			want++
		}
	}
	if len(ids) != want || pages != (want+59)/60 {
		t.Errorf("%d ids in %d pages, want %d", len(ids), pages, want)
	}
	var p wsPage
	get(t, s, "/api/accounts/workspaces?limit=60&offset=60", &p)
	if p.Previous == nil || strings.Contains(*p.Previous, "offset") {
		t.Errorf("previous of the second page = %v (DRF drops offset=0)", p.Previous)
	}
	get(t, s, "/api/accounts/workspaces?limit=5000", &p)
	if len(p.Results) != 250 {
		t.Errorf("limit over the cap gave %d", len(p.Results))
	}
	get(t, s, "/api/accounts/workspaces?limit=0&offset=-3", &p)
	if len(p.Results) != 60 || p.Results[0].ID != 1 {
		t.Errorf("invalid limit/offset: %d from %d", len(p.Results), p.Results[0].ID)
	}
}

func TestWorkspaceFiltersAndOrdering(t *testing.T) {
	s := newTestServer(t)
	all := s.Workspaces()
	count := func(q string) int {
		var p wsPage
		if st := get(t, s, "/api/accounts/workspaces?limit=1&"+q, &p); st != 200 {
			t.Fatalf("%s: %d", q, st)
		}
		return p.Count
	}
	countWhere := func(f func(Workspace) bool) int {
		n := 0
		for _, w := range all {
			if f(w) {
				n++
			}
		}
		return n
	}
	cases := map[string]func(Workspace) bool{
		"type=trial":                           func(w Workspace) bool { return w.Type == "trial" },
		"type__in=demo,test":                   func(w Workspace) bool { return w.Type == "demo" || w.Type == "test" },
		"type__in=active,":                     func(w Workspace) bool { return w.Type == "active" },
		"type__in=,demo,,test":                 func(w Workspace) bool { return w.Type == "demo" || w.Type == "test" },
		"country__in=NL,":                      func(w Workspace) bool { return w.Country != nil && *w.Country == "NL" },
		"type__exclude=active":                 func(w Workspace) bool { return w.Type != "active" },
		"country=NL":                           func(w Workspace) bool { return w.Country != nil && *w.Country == "NL" },
		"country__in=NL,BE":                    func(w Workspace) bool { return w.Country != nil && (*w.Country == "NL" || *w.Country == "BE") },
		"country__icontains=l":                 func(w Workspace) bool { return w.Country != nil && strings.Contains(*w.Country, "L") },
		"country__istartswith=n":               func(w Workspace) bool { return w.Country != nil && strings.HasPrefix(*w.Country, "N") },
		"country__iendswith=E":                 func(w Workspace) bool { return w.Country != nil && strings.HasSuffix(*w.Country, "E") },
		"name__icontains=HARBOR":               func(w Workspace) bool { return strings.Contains(w.Name, "Harbor") },
		"name__istartswith=green":              func(w Workspace) bool { return strings.HasPrefix(w.Name, "Green") },
		"name__iendswith=BV":                   func(w Workspace) bool { return strings.HasSuffix(strings.ToLower(w.Name), "bv") },
		"search=coffee":                        func(w Workspace) bool { return strings.Contains(w.Name, "Coffee") },
		"name=" + url.QueryEscape(all[0].Name): func(w Workspace) bool { return w.Name == all[0].Name },
		"type=":                                func(Workspace) bool { return true },
	}
	for q, f := range cases {
		want := countWhere(f)
		if want == 0 {
			t.Errorf("%s selects nothing in the data", q)
		}
		if got := count(q); got != want {
			t.Errorf("%s: count %d, want %d", q, got, want)
		}
	}
	if countWhere(func(w Workspace) bool { return w.Country == nil }) == 0 {
		t.Error("no workspace without a country")
	}
	for _, typ := range workspaceTypes {
		if countWhere(func(w Workspace) bool { return w.Type == typ }) == 0 {
			t.Errorf("no workspace of type %s", typ)
		}
	}

	for _, q := range []string{"type=archived", "type__in=active,nope", "type__exclude=x"} {
		status, _, b := call(t, s, "GET", "/api/accounts/workspaces?"+q, OwnerToken, "", "")
		key := strings.SplitN(q, "=", 2)[0]
		if status != 400 || !strings.Contains(string(b), `"`+key+`":["Select a valid choice.`) {
			t.Errorf("%s: %d %s", q, status, b)
		}
	}

	// Only empty items: django-filter filters by type IN ('', ''), which
	// matches nothing (a wholly empty value is no filter, as above).
	if status, _, b := call(t, s, "GET", "/api/accounts/workspaces?type__in=,", OwnerToken, "", ""); status != 200 || !strings.Contains(string(b), `"count":0`) {
		t.Errorf("type__in=,: %d %s", status, b)
	}

	var p wsPage
	get(t, s, "/api/accounts/workspaces?limit=1000&ordering=-member_count,name,bogus", &p)
	for i := 1; i < len(p.Results); i++ {
		a, b := p.Results[i-1], p.Results[i]
		if a.MemberCount < b.MemberCount || (a.MemberCount == b.MemberCount && a.Name > b.Name) ||
			(a.MemberCount == b.MemberCount && a.Name == b.Name && a.ID > b.ID) {
			t.Fatalf("ordering broken at %d: %+v then %+v", i, a, b)
		}
	}
	get(t, s, fmt.Sprintf("/api/accounts/workspaces?limit=1&offset=%d&ordering=country", len(all)-1), &p)
	if p.Results[0].Country != nil {
		t.Errorf("null countries do not sort last ascending: %+v", p.Results[0])
	}
	get(t, s, "/api/accounts/workspaces?limit=1&ordering=-country", &p)
	if p.Results[0].Country != nil {
		t.Errorf("null countries do not sort first descending: %+v", p.Results[0])
	}
	get(t, s, "/api/accounts/workspaces?limit=3&ordering=bogus", &p)
	if p.Results[0].ID != 1 || p.Results[2].ID != 3 {
		t.Errorf("unknown ordering field changed the order")
	}
}

func TestMembershipsAndSwitch(t *testing.T) {
	s := newTestServer(t)
	for token, lo := range map[string][2]int{OwnerToken: {1200, 1200}, AdminToken: {45, 55}, MemberToken: {4, 6}} {
		n := len(s.MembershipsOf(token))
		if n < lo[0] || n > lo[1] {
			t.Errorf("%s has %d memberships", token, n)
		}
		status, _, b := call(t, s, "GET", "/api/accounts/users/me/workspaces/?limit=2&offset=1", token, "", "")
		var body struct {
			Workspaces []membershipJSON `json:"workspaces"`
		}
		_ = json.Unmarshal(b, &body)
		if status != 200 || len(body.Workspaces) != 2 || body.Workspaces[0].WorkspaceID != s.MembershipsOf(token)[1].ID {
			t.Errorf("%s memberships: %d %s", token, status, b)
		}
	}
	// Without limit or offset every membership is answered, not the first
	// page of the default size.
	for q, want := range map[string]int{"": 1200, "?limit=150": 150, "?offset=1150": 50} {
		status, _, b := call(t, s, "GET", "/api/accounts/users/me/workspaces/"+q, OwnerToken, "", "")
		var body struct {
			Workspaces []membershipJSON `json:"workspaces"`
		}
		if err := json.Unmarshal(b, &body); status != 200 || err != nil || len(body.Workspaces) != want {
			t.Errorf("owner memberships%s: %d, %d items, want %d", q, status, len(body.Workspaces), want)
		}
	}

	mine := s.MembershipsOf(MemberToken)
	cases := []struct {
		body   string
		status int
		want   string
	}{
		{`{}`, 400, `{"company_id":["This field is required."]}`},
		{`{"company_id":"abc"}`, 400, `{"company_id":["A valid integer is required."]}`},
		{`{"company_id":1.5}`, 400, `{"company_id":["A valid integer is required."]}`},
		{`{"company_id":2}`, 400, `{"company_id":["You are not a member of this workspace."]}`},
		{fmt.Sprintf(`{"company_id":"%d"}`, mine[2].ID), 200, mine[2].Name},
	}
	for _, tc := range cases {
		status, _, b := call(t, s, "POST", "/api/accounts/users/me/switch-workspace/", MemberToken, "application/json", tc.body)
		if status != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s: %d %s", tc.body, status, b)
		}
	}
	if ws, _ := s.ActiveWorkspace(MemberToken); ws.ID != mine[2].ID {
		t.Errorf("active = %d, want %d", ws.ID, mine[2].ID)
	}
	if ws, _ := s.ActiveWorkspace(OwnerToken); ws.ID != 1 {
		t.Errorf("switching one user changed another's active workspace")
	}
}

func TestUserConfigState(t *testing.T) {
	s := newTestServer(t)
	var stake int
	for _, w := range s.Workspaces() {
		if w.Type == "stakeholder" {
			stake = w.ID
			break
		}
	}
	call(t, s, "POST", "/api/accounts/users/me/switch-workspace/", OwnerToken, "application/json", fmt.Sprintf(`{"company_id":%d}`, stake))
	var cfg userConfigJSON
	get(t, s, "/api/accounts/user-config", &cfg)
	if cfg.CompanyType != "stakeholder" || len(cfg.AvailableActions) != 2 || cfg.AvailableActions[0] != "sign_stakeholder_agreement" {
		t.Fatalf("cfg = %+v", cfg)
	}
	status, _, b := call(t, s, "PATCH", "/api/accounts/user-config", OwnerToken, "application/json", `{"sign_stakeholder_agreement":"true"}`)
	_ = json.Unmarshal(b, &cfg)
	if status != 200 || cfg.Config["stakeholder_agreement_signed"] != true || len(cfg.AvailableActions) != 1 {
		t.Fatalf("after signing: %d %s", status, b)
	}
	status, _, b = call(t, s, "PATCH", "/api/accounts/user-config", OwnerToken, "", "")
	if status != 200 || !strings.Contains(string(b), `"stakeholder_agreement_signed":true`) {
		t.Errorf("empty PATCH: %d %s", status, b)
	}
}

func TestPageNumberHelper(t *testing.T) {
	s := newTestServer(t, WithPageSize(10))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		from, to, next, prev, ok := s.pageNumber(w, r, 25)
		if ok {
			writeJSON(w, 200, map[string]any{"from": from, "to": to, "next": next, "previous": prev})
		}
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	cases := []struct {
		query              string
		status             int
		from, to           float64
		nextHas, prevHas   string
		nextNull, prevNull bool
	}{
		{"", 200, 0, 10, "page=2", "", false, true},
		{"page=2", 200, 10, 20, "page=3", "", false, false},
		{"page=3", 200, 20, 25, "", "page=2", true, false},
		{"page=last", 200, 20, 25, "", "page=2", true, false},
		{"page=2&page_size=20", 200, 20, 25, "", "page_size=20", true, false},
		{"page=4", 404, 0, 0, "", "", false, false},
		{"page=0", 404, 0, 0, "", "", false, false},
		{"page=x", 404, 0, 0, "", "", false, false},
	}
	for _, tc := range cases {
		resp, err := http.Get(srv.URL + "/list?" + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d", tc.query, resp.StatusCode)
			continue
		}
		if tc.status != 200 {
			if body["detail"] != "Invalid page." {
				t.Errorf("%s: %v", tc.query, body)
			}
			continue
		}
		next, _ := body["next"].(string)
		prev, _ := body["previous"].(string)
		if body["from"] != tc.from || body["to"] != tc.to || (next == "") != tc.nextNull || (prev == "") != tc.prevNull ||
			!strings.Contains(next, tc.nextHas) || !strings.Contains(prev, tc.prevHas) {
			t.Errorf("%s: %v", tc.query, body)
		}
		if tc.query == "page=2" && strings.Contains(prev, "page=") {
			t.Errorf("previous of page 2 keeps page: %s", prev)
		}
	}
}

func TestDeterminism(t *testing.T) {
	a := generateWorkspaces(7, 300)
	b := generateWorkspaces(7, 300)
	c := generateWorkspaces(8, 300)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different data")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, same data")
	}
	for _, w := range a {
		if w.UpdatedAt.Before(w.CreatedAt) {
			t.Errorf("workspace %d updated before created", w.ID)
		}
	}
	if got := drfTime(a[0].CreatedAt); len(got) != len("2024-03-05T10:11:12.123456Z") || !strings.HasSuffix(got, "Z") {
		t.Errorf("time rendered as %q", got)
	}
}

func TestConcurrentRequests(t *testing.T) {
	s := newTestServer(t)
	base := strings.TrimSuffix(s.URL(), "/api/")
	// send is call without t.Fatal, which must not run outside the test's
	// goroutine: it reports a failure as an error.
	send := func(method, path, body string) error {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+OwnerToken)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
		}
		return nil
	}
	errs := make(chan error, 80)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				switch (i + j) % 3 {
				case 0:
					errs <- send("GET", "/api/accounts/workspaces?limit=50&ordering=-name", "")
				case 1:
					errs <- send("POST", "/api/accounts/users/me/switch-workspace/", fmt.Sprintf(`{"company_id":%d}`, 1+i))
				default:
					errs <- send("PATCH", "/api/accounts/user-config", `{"sign_stakeholder_agreement":true}`)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(s.Requests()); n != 80 {
		t.Errorf("%d requests recorded, want 80", n)
	}
}
