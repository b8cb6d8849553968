package accountstest

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listCountries answers operation 1: a bare array, filtered, sliced by limit
// and offset when either is given.
func (s *Server) listCountries(w http.ResponseWriter, r *http.Request, _ *user, _ string) {
	q := r.URL.Query()
	out := make([]Country, 0, len(s.countries))
	search := searchTerms(q.Get("search"))
	for _, c := range s.countries {
		if !searchMatch(search, c.Name) ||
			q.Get("name") != "" && c.Name != q.Get("name") ||
			q.Get("alpha_2") != "" && c.Alpha2 != q.Get("alpha_2") ||
			q.Get("alpha_3") != "" && c.Alpha3 != q.Get("alpha_3") ||
			q.Get("numeric") != "" && c.Numeric != q.Get("numeric") {
			continue
		}
		out = append(out, c)
	}
	if q.Has("limit") || q.Has("offset") {
		from, to, _, _ := s.limitOffset(r, len(out), len(out))
		out = out[from:to]
	}
	writeJSON(w, http.StatusOK, out)
}

// getCountry answers operation 2; the identifier is the alpha-2 code.
func (s *Server) getCountry(w http.ResponseWriter, _ *http.Request, _ *user, id string) {
	for _, c := range s.countries {
		if strings.EqualFold(c.Alpha2, id) {
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, detail("No Country matches the given query."))
}

// userConfigJSON is the answer of operations 3 and 4.
type userConfigJSON struct {
	Config           map[string]any `json:"config"`
	AvailableActions []string       `json:"available_actions"`
	CompanyType      string         `json:"company_type"`
}

// userConfig renders u's configuration; the caller holds s.mu.
func (s *Server) userConfig(u *user) userConfigJSON {
	active := s.workspaces[u.active-1]
	actions := []string{}
	if active.Type == "stakeholder" && !u.signed {
		actions = append(actions, "sign_stakeholder_agreement")
	}
	if len(u.memberships) > 1 {
		actions = append(actions, "switch_workspace")
	}
	return userConfigJSON{
		Config: map[string]any{
			"active_workspace_id":          active.ID,
			"role":                         roleName(u.person.role()),
			"stakeholder_agreement_signed": u.signed,
		},
		AvailableActions: actions,
		CompanyType:      active.Type,
	}
}

func (s *Server) getUserConfig(w http.ResponseWriter, _ *http.Request, u *user, _ string) {
	s.answer(w, func() reply { return reply{http.StatusOK, s.userConfig(u)} })
}

// patchUserConfig answers operation 4: sign_stakeholder_agreement is a boolean
// in any of the spellings Django REST framework's BooleanField accepts.
func (s *Server) patchUserConfig(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	var sign *bool
	if v, present := body["sign_stakeholder_agreement"]; present {
		b, ok := drfBool(v)
		if !ok {
			writeJSON(w, http.StatusBadRequest, fieldError("sign_stakeholder_agreement", invalidOrNull(v, "Must be a valid boolean.")))
			return
		}
		sign = &b
	}
	s.answer(w, func() reply {
		if sign != nil {
			u.signed = *sign
		}
		return reply{http.StatusOK, s.userConfig(u)}
	})
}

func drfBool(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case float64:
		if v == 1 || v == 0 {
			return v == 1, true
		}
	case string:
		switch strings.ToLower(v) {
		case "true", "1", "yes", "on", "t", "y":
			return true, true
		case "false", "0", "no", "off", "f", "n":
			return false, true
		}
	}
	return false, false
}

// listWorkspaces answers operation 5: the user's workspaces, filtered,
// ordered, in a limit/offset envelope.
func (s *Server) listWorkspaces(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	q := r.URL.Query()
	keep, errs := workspaceFilter(q)
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	var list []Workspace
	s.withLock(func() {
		list = make([]Workspace, 0, len(u.memberships))
		for _, id := range u.memberships {
			if ws := s.workspaces[id-1]; keep(ws) {
				list = append(list, ws)
			}
		}
	})
	orderWorkspaces(list, q.Get("ordering"))

	from, to, next, prev := s.limitOffset(r, len(list), s.cfg.pageSize)
	results := make([]workspaceJSON, 0, to-from)
	for _, ws := range list[from:to] {
		results = append(results, ws.json())
	}
	writeJSON(w, http.StatusOK, envelope{Count: len(list), Next: next, Previous: prev, Results: results})
}

// workspaceFilter builds the django-filter FilterSet of operation 5. Empty
// values are ignored; an unknown type is a 400 naming the parameter.
func workspaceFilter(q url.Values) (func(Workspace) bool, map[string][]string) {
	var tests []func(Workspace) bool
	errs := map[string][]string{}
	add := func(f func(Workspace) bool) { tests = append(tests, f) }
	text := func(key string, get func(Workspace) *string, match func(have, want string) bool) {
		v := q.Get(key)
		if v == "" {
			return
		}
		add(func(w Workspace) bool {
			have := get(w)
			return have != nil && match(*have, v)
		})
	}
	name := func(w Workspace) *string { return &w.Name }
	country := func(w Workspace) *string { return w.Country }
	exact := func(have, want string) bool { return have == want }
	icontains := func(have, want string) bool { return strings.Contains(strings.ToLower(have), strings.ToLower(want)) }
	istarts := func(have, want string) bool { return strings.HasPrefix(strings.ToLower(have), strings.ToLower(want)) }
	iends := func(have, want string) bool { return strings.HasSuffix(strings.ToLower(have), strings.ToLower(want)) }

	text("name", name, exact)
	text("name__icontains", name, icontains)
	text("name__istartswith", name, istarts)
	text("name__iendswith", name, iends)
	if terms := searchTerms(q.Get("search")); len(terms) > 0 {
		add(func(w Workspace) bool { return searchMatch(terms, w.Name) })
	}
	text("country", country, exact)
	text("country__icontains", country, icontains)
	text("country__istartswith", country, istarts)
	text("country__iendswith", country, iends)
	if v := q.Get("country__in"); v != "" {
		set := strings.Split(v, ",")
		add(func(w Workspace) bool { return w.Country != nil && slices.Contains(set, *w.Country) })
	}

	checkType := func(key, v string) bool {
		if !slices.Contains(workspaceTypes, v) {
			errs[key] = append(errs[key], fmt.Sprintf("Select a valid choice. %s is not one of the available choices.", v))
			return false
		}
		return true
	}
	if v := q.Get("type"); v != "" && checkType("type", v) {
		add(func(w Workspace) bool { return w.Type == v })
	}
	if v := q.Get("type__exclude"); v != "" && checkType("type__exclude", v) {
		add(func(w Workspace) bool { return w.Type != v })
	}
	if v := q.Get("type__in"); v != "" {
		// django-filter's CSV field splits on commas and cleans each item
		// with the optional choice field, which takes "" as valid: an empty
		// item is kept but matches no workspace.
		set := strings.Split(v, ",")
		valid := true
		for _, t := range set {
			valid = (t == "" || checkType("type__in", t)) && valid
		}
		if valid {
			add(func(w Workspace) bool { return slices.Contains(set, w.Type) })
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return func(w Workspace) bool {
		for _, t := range tests {
			if !t(w) {
				return false
			}
		}
		return true
	}, nil
}

// orderingFields are the fields operation 5 orders by.
var orderingFields = map[string]func(a, b Workspace) int{
	"id":           func(a, b Workspace) int { return cmp.Compare(a.ID, b.ID) },
	"name":         func(a, b Workspace) int { return strings.Compare(a.Name, b.Name) },
	"type":         func(a, b Workspace) int { return strings.Compare(a.Type, b.Type) },
	"member_count": func(a, b Workspace) int { return cmp.Compare(a.MemberCount, b.MemberCount) },
	"created_at":   func(a, b Workspace) int { return a.CreatedAt.Compare(b.CreatedAt) },
	"updated_at":   func(a, b Workspace) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
	"country": func(a, b Workspace) int {
		// PostgreSQL's order: NULL after every value when ascending.
		switch {
		case a.Country == nil && b.Country == nil:
			return 0
		case a.Country == nil:
			return 1
		case b.Country == nil:
			return -1
		}
		return strings.Compare(*a.Country, *b.Country)
	},
}

// orderWorkspaces sorts list by a DRF ordering parameter: comma-separated
// fields, "-" for descending, unknown fields ignored, ties by id.
func orderWorkspaces(list []Workspace, ordering string) {
	var keys []func(a, b Workspace) int
	for _, f := range strings.Split(ordering, ",") {
		f = strings.TrimSpace(f)
		desc := strings.HasPrefix(f, "-")
		cmpf, ok := orderingFields[strings.TrimPrefix(f, "-")]
		if !ok {
			continue
		}
		if desc {
			asc := cmpf
			cmpf = func(a, b Workspace) int { return -asc(a, b) }
		}
		keys = append(keys, cmpf)
	}
	slices.SortStableFunc(list, func(a, b Workspace) int {
		for _, k := range keys {
			if c := k(a, b); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// membershipJSON is one item of operation 11.
type membershipJSON struct {
	WorkspaceName string `json:"workspace_name"`
	WorkspaceID   int    `json:"workspace_id"`
	MemberCount   int    `json:"member_count"`
	IsMFAEnabled  bool   `json:"is_mfa_enabled"`
}

// listMemberships answers operation 11: {"workspaces": [...]}, without count
// or links, sliced by limit and offset when either is given (as listUsers
// does) and otherwise every membership: a view without a paginator answers
// everything, and without a limit the default page size would cut the list
// silently.
func (s *Server) listMemberships(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	var items []membershipJSON
	s.withLock(func() {
		items = make([]membershipJSON, 0, len(u.memberships))
		for _, id := range u.memberships {
			ws := s.workspaces[id-1]
			items = append(items, membershipJSON{WorkspaceName: ws.Name, WorkspaceID: ws.ID, MemberCount: ws.MemberCount, IsMFAEnabled: ws.IsMFAEnabled})
		}
	})
	from, to := 0, len(items)
	if q := r.URL.Query(); q.Has("limit") || q.Has("offset") {
		from, to, _, _ = s.limitOffset(r, len(items), s.cfg.pageSize)
	}
	writeJSON(w, http.StatusOK, map[string]any{"workspaces": items[from:to]})
}

// switchWorkspace answers operation 12.
func (s *Server) switchWorkspace(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	raw, present := body["company_id"]
	if !present {
		writeJSON(w, http.StatusBadRequest, fieldError("company_id", "This field is required."))
		return
	}
	if raw == nil {
		writeJSON(w, http.StatusBadRequest, fieldError("company_id", "This field may not be null."))
		return
	}
	id, ok := drfInt(raw)
	if !ok {
		writeJSON(w, http.StatusBadRequest, fieldError("company_id", "A valid integer is required."))
		return
	}
	s.answer(w, func() reply {
		if !slices.Contains(u.memberships, id) {
			return reply{http.StatusBadRequest, fieldError("company_id", "You are not a member of this workspace.")}
		}
		u.active = id
		return reply{http.StatusOK, map[string]string{"message": "Switched to workspace " + s.workspaces[id-1].Name + "."}}
	})
}

// drfInt reads an integer the way Django REST framework's IntegerField does:
// a whole JSON number or a string of digits.
func drfInt(v any) (int, bool) {
	switch v := v.(type) {
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int(v), true
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return n, true
		}
	}
	return 0, false
}

// workspaceHandlers are the handlers of the countries, the user configuration and the workspaces, by operation
// number (endpoints.Operations); server.go joins them into handlers.
var workspaceHandlers = map[int]handler{
	1:  (*Server).listCountries,   // GET accounts/countries
	2:  (*Server).getCountry,      // GET accounts/countries/{id}
	3:  (*Server).getUserConfig,   // GET accounts/user-config
	4:  (*Server).patchUserConfig, // PATCH accounts/user-config
	5:  (*Server).listWorkspaces,  // GET accounts/workspaces
	11: (*Server).listMemberships, // GET accounts/users/me/workspaces/
	12: (*Server).switchWorkspace, // POST accounts/users/me/switch-workspace/
}
