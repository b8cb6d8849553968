package accountstest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
)

// Auth groups (roles) of the server, the ids the API's auth_group and groups
// fields take.
const (
	GroupOwner  = 1
	GroupAdmin  = 2
	GroupMember = 3
)

// DefaultUserCount is how many users a new server has besides the three token
// users.
const DefaultUserCount = 230

// SharedEmail is the email address two of the seeded users share; LoginURL
// answers it with the manual-entry route.
const SharedEmail = "shared.inbox@accountstest.invalid"

// ManualEntryParams is the login URL answer for an email several users share.
const ManualEntryParams = "route=manual-entry"

// group is one auth group with its permissions.
type group struct {
	ID          int
	Name        string
	Permissions []string
}

// groups are the server's auth groups, by id (id = index+1). Only OWNER and
// ADMIN hold view_user.
var groups = []group{
	{GroupOwner, "OWNER", []string{"view_user", "add_user", "change_user", "delete_user", "add_invitation", "view_invitation"}},
	{GroupAdmin, "ADMIN", []string{"view_user", "add_user", "change_user", "add_invitation", "view_invitation"}},
	{GroupMember, "MEMBER", []string{"view_workspace"}},
}

// roleName is the name of the auth group id, such as "ADMIN", or "" for an
// unknown id.
func roleName(id int) string {
	g, _ := groupByID(id)
	return g.Name
}

func groupByID(id int) (group, bool) {
	if id < 1 || id > len(groups) {
		return group{}, false
	}
	return groups[id-1], true
}

// User is one of the server's users, as tests see it.
type User struct {
	// ID is the user's numeric id.
	ID int
	// UUID identifies the user in accounts/users/{uuid}/.
	UUID string
	// Email is the user's address (not unique: see SharedEmail).
	Email string
	// FirstName is the user's first name.
	FirstName string
	// LastName is the user's last name.
	LastName string
	// JobTitle is the user's job title.
	JobTitle string
	// Groups are auth group ids; the first is the user's role.
	Groups []int
	// IsActive says whether the user is active.
	IsActive bool
	// Workspaces are the ids of the workspaces the user belongs to, ascending.
	Workspaces []int
	// Analyst, when true, lists the user in the analysts endpoint.
	Analyst bool
	// Consent is the analyst's consent.
	Consent bool
}

// role is the user's auth group in their workspaces.
func (p *User) role() int {
	if len(p.Groups) == 0 {
		return GroupMember
	}
	return p.Groups[0]
}

func (p *User) inWorkspace(id int) bool {
	_, ok := slices.BinarySearch(p.Workspaces, id)
	return ok
}

var (
	firstNames = []string{"Ana", "Ben", "Chloé", "Daan", "Eva", "Finn", "Greta", "Hugo", "Iris", "Jonas", "Kiki", "Lars", "Mila", "Noah", "Olga", "Piet", "Quinn", "Ruth", "Sem", "Tess"}
	lastNames  = []string{"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Dijkstra"}
	jobs       = []string{"Controller", "Sustainability lead", "CFO", "Analyst", "Operations manager", ""}
)

// generatePeople builds the token users' records (ids 1 to 3) and n more users.
// Every generated user belongs to workspace 1 and one other workspace.
func generatePeople(rng *rand.Rand, tokenUsers []*user, workspaces, n int) []*User {
	out := make([]*User, 0, len(tokenUsers)+n)
	for i, u := range tokenUsers {
		role := map[string]int{"OWNER": GroupOwner, "ADMIN": GroupAdmin, "MEMBER": GroupMember}[u.role]
		p := &User{
			ID: i + 1, UUID: newUUID(rng), Email: strings.ToLower(u.role) + "@accountstest.invalid",
			FirstName: strings.ToUpper(u.role[:1]) + strings.ToLower(u.role[1:]), LastName: "Testuser", JobTitle: jobs[i],
			Groups: []int{role}, IsActive: true, Workspaces: u.memberships, Analyst: true,
		}
		u.person = p
		out = append(out, p)
	}
	for k := range n {
		id := len(out) + 1
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		p := &User{
			ID: id, UUID: newUUID(rng), FirstName: first, LastName: last, JobTitle: jobs[rng.IntN(len(jobs))],
			Email:    fmt.Sprintf("%s.%s.%d@example.test", strings.ToLower(asciiName(first)), strings.ToLower(strings.ReplaceAll(last, " ", "")), id),
			Groups:   []int{GroupMember},
			IsActive: rng.IntN(20) != 0,
			Analyst:  k%9 == 0,
			Consent:  k%2 == 0,
		}
		if k%7 == 0 {
			p.Groups = []int{GroupAdmin}
		}
		if k < 2 {
			p.Email = SharedEmail
		}
		other := 1 + (k*37)%workspaces
		p.Workspaces = []int{1}
		if other != 1 {
			p.Workspaces = append(p.Workspaces, other)
		}
		out = append(out, p)
	}
	return out
}

// asciiName drops the accents an email address should not carry.
func asciiName(s string) string {
	return strings.NewReplacer("é", "e", "ë", "e", "ï", "i").Replace(s)
}

// Users returns every user, the token users first (ids 1, 2, 3 for owner,
// admin and member).
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, len(s.people))
	for i, p := range s.people {
		out[i] = *p
		out[i].Groups = slices.Clone(p.Groups)
		out[i].Workspaces = slices.Clone(p.Workspaces)
	}
	return out
}

// UsersOfWorkspace returns the users who belong to the workspace, in id
// order: what the user list answers to a caller whose active workspace it is.
func (s *Server) UsersOfWorkspace(id int) []User {
	var out []User
	for _, p := range s.Users() {
		if p.inWorkspace(id) {
			out = append(out, p)
		}
	}
	return out
}

// TokenUser returns the record of the token's user.
func (s *Server) TokenUser(token string) (User, bool) {
	var id int
	s.withLock(func() {
		if u := s.users[token]; u != nil {
			id = u.person.ID
		}
	})
	for _, p := range s.Users() {
		if id != 0 && p.ID == id {
			return p, true
		}
	}
	return User{}, false
}

// profileJSON is a user as the workspace-centric API (seed 001) renders it.
type profileJSON struct {
	FirstName           string          `json:"first_name"`
	LastName            string          `json:"last_name"`
	Email               string          `json:"email"`
	ID                  int             `json:"id"`
	FirebaseUID         string          `json:"firebase_uid"`
	ActiveUserCompanyID int             `json:"active_user_company_id"`
	UserCompany         userCompanyJSON `json:"user_company"`
	Company             companyJSON     `json:"company"`
	JobTitle            string          `json:"job_title"`
	AuthGroup           authGroupJSON   `json:"auth_group"`
	IsMFAEnrolled       bool            `json:"is_mfa_enrolled"`
	IsMFARequired       bool            `json:"is_mfa_required"`
	DataRoomConsumerID  string          `json:"data_room_consumer_id"`
	PylonEmailHash      string          `json:"pylon_email_hash"`
}

type userCompanyJSON struct {
	ID                 int            `json:"id"`
	UserID             string         `json:"user_id"`
	CompanyID          string         `json:"company_id"`
	AuthGroupID        string         `json:"auth_group_id"`
	DataRoomConsumerID string         `json:"data_room_consumer_id"`
	Config             map[string]any `json:"config"`
}

type authGroupJSON struct {
	ID          int              `json:"id"`
	Name        string           `json:"name"`
	Permissions []permissionJSON `json:"permissions"`
}

type permissionJSON struct {
	Codename string `json:"codename"`
}

// companyJSON is a workspace as embedded in a profile or invitation status.
type companyJSON struct {
	ID                       int            `json:"id"`
	Name                     string         `json:"name"`
	Type                     string         `json:"type"`
	Country                  *string        `json:"country"`
	CreditsUsed              string         `json:"credits_used"`
	NrOfEmployees            int            `json:"nr_of_employees"`
	NrOfLocations            int            `json:"nr_of_locations"`
	NrOfTransactions         int            `json:"nr_of_transactions"`
	MinimumDateFilter        string         `json:"minimum_date_filter"`
	ResultsLimitEarliestYear string         `json:"results_limit_earliest_year"`
	ResultsLimitLatestYear   string         `json:"results_limit_latest_year"`
	MinTransactionDate       string         `json:"min_transaction_date"`
	MaxTransactionDate       string         `json:"max_transaction_date"`
	ChiftConsumerID          string         `json:"chift_consumer_id"`
	DefaultCurrency          string         `json:"default_currency"`
	DefaultLocale            string         `json:"default_locale"`
	DataRoomConsumerID       string         `json:"data_room_consumer_id"`
	Information              map[string]any `json:"information"`
	PulseParams              string         `json:"pulse_params"`
	Flags                    []flagJSON     `json:"flags"`
}

type flagJSON struct {
	Name string `json:"name"`
}

func (w Workspace) company() companyJSON {
	flags := []flagJSON{}
	if w.IsMFAEnabled {
		flags = append(flags, flagJSON{"mfa"})
	}
	return companyJSON{
		ID: w.ID, Name: w.Name, Type: w.Type, Country: w.Country,
		CreditsUsed:   strconv.Itoa(w.MemberCount*3) + ".00",
		NrOfEmployees: w.MemberCount * 4, NrOfLocations: 1 + w.ID%5, NrOfTransactions: w.MemberCount * 17,
		MinimumDateFilter:        w.CreatedAt.Format("2006-01-02"),
		ResultsLimitEarliestYear: "2019-01-01", ResultsLimitLatestYear: "2026-12-31",
		MinTransactionDate: w.CreatedAt.Format("2006-01-02"), MaxTransactionDate: w.UpdatedAt.Format("2006-01-02"),
		ChiftConsumerID: "chift-" + strconv.Itoa(w.ID), DefaultCurrency: "EUR", DefaultLocale: "nl-NL",
		DataRoomConsumerID: "dr-company-" + strconv.Itoa(w.ID), Information: map[string]any{"source": "accountstest"},
		PulseParams: "", Flags: flags,
	}
}

func (g group) json() authGroupJSON {
	perms := make([]permissionJSON, len(g.Permissions))
	for i, p := range g.Permissions {
		perms[i] = permissionJSON{p}
	}
	return authGroupJSON{ID: g.ID, Name: g.Name, Permissions: perms}
}

// profile renders p in workspace ws. The caller holds s.mu.
func (s *Server) profile(p *User, ws int) profileJSON {
	g, _ := groupByID(p.role())
	membership := p.ID*10000 + ws
	return profileJSON{
		FirstName: p.FirstName, LastName: p.LastName, Email: p.Email, ID: p.ID,
		FirebaseUID: "firebase-" + strconv.Itoa(p.ID), ActiveUserCompanyID: membership,
		UserCompany: userCompanyJSON{
			ID: membership, UserID: strconv.Itoa(p.ID), CompanyID: strconv.Itoa(ws), AuthGroupID: strconv.Itoa(g.ID),
			DataRoomConsumerID: "dr-membership-" + strconv.Itoa(membership), Config: map[string]any{},
		},
		Company: s.workspaces[ws-1].company(), JobTitle: p.JobTitle, AuthGroup: g.json(),
		IsMFAEnrolled: p.ID%3 == 0, IsMFARequired: s.workspaces[ws-1].IsMFAEnabled,
		DataRoomConsumerID: "dr-user-" + strconv.Itoa(p.ID), PylonEmailHash: fmt.Sprintf("%016x", uint64(p.ID)*0x9e3779b97f4a7c15),
	}
}

// userJSON is a user as the organization-centric API (seed 002) renders it.
type userJSON struct {
	ID        int    `json:"id"`
	UUID      string `json:"uuid"`
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Groups    []int  `json:"groups"`
	IsActive  bool   `json:"is_active"`
}

// json renders p for the wire. The answer shares nothing with p, so it can be
// encoded after s.mu is released; the caller holds s.mu.
func (p *User) json() userJSON {
	gs := slices.Clone(p.Groups)
	if gs == nil {
		gs = []int{}
	}
	return userJSON{ID: p.ID, UUID: p.UUID, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName, Groups: gs, IsActive: p.IsActive}
}

// roleOf returns u's auth group. It takes s.mu: the group is the first of the
// user record's groups, which operations 33 and 34 change.
func (s *Server) roleOf(u *user) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return u.person.role()
}

// can reports whether u's role grants the permission, or answers 403.
func (s *Server) can(w http.ResponseWriter, u *user, perm string) bool {
	g, _ := groupByID(s.roleOf(u))
	if slices.Contains(g.Permissions, perm) {
		return true
	}
	writeJSON(w, http.StatusForbidden, detail("You do not have permission to perform this action."))
	return false
}

// getMe answers operations 9 and 10: the caller's profile in their active
// workspace.
func (s *Server) getMe(w http.ResponseWriter, _ *http.Request, u *user, _ string) {
	s.answer(w, func() reply { return reply{http.StatusOK, s.profile(u.person, u.active)} })
}

// listUsers answers operation 8: the users of the caller's active workspace.
// With page or page_size it pages like the organization-centric API (an
// envelope of 002 users); otherwise it answers a bare array of profiles,
// sliced by limit/offset when given. The records are rendered while s.mu is
// held, since operations 33 and 34 change them.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	if !s.can(w, u, "view_user") {
		return
	}
	q := r.URL.Query()
	search := searchTerms(q.Get("search"))
	paged := q.Has("page") || q.Has("page_size")
	var users []userJSON       // paged: every match, paged below
	var profiles []profileJSON // not paged: the slice asked for
	s.withLock(func() {
		var list []*User
		for _, p := range s.people {
			if !p.inWorkspace(u.active) {
				continue
			}
			if !searchMatch(search, p.FirstName, p.LastName, p.Email) {
				continue
			}
			list = append(list, p)
		}
		if paged {
			users = make([]userJSON, len(list))
			for i, p := range list {
				users[i] = p.json()
			}
			return
		}
		from, to := 0, len(list)
		if q.Has("limit") || q.Has("offset") {
			from, to, _, _ = s.limitOffset(r, len(list), s.cfg.pageSize)
		}
		profiles = make([]profileJSON, 0, to-from)
		for _, p := range list[from:to] {
			profiles = append(profiles, s.profile(p, u.active))
		}
	})
	if !paged {
		writeJSON(w, http.StatusOK, profiles)
		return
	}
	from, to, next, prev, ok := s.pageNumber(w, r, len(users))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, envelope{Count: len(users), Next: next, Previous: prev, Results: users[from:to]})
}

// findUser returns the user with uuid in the caller's active workspace, or
// nil. The caller holds s.mu.
func (s *Server) findUser(u *user, uuid string) *User {
	for _, p := range s.people {
		if strings.EqualFold(p.UUID, uuid) && p.inWorkspace(u.active) {
			return p
		}
	}
	return nil
}

// noUser is findUser's 404.
func noUser() reply {
	return reply{http.StatusNotFound, detail("No User matches the given query.")}
}

func (s *Server) getUser(w http.ResponseWriter, _ *http.Request, u *user, id string) {
	if !s.can(w, u, "view_user") {
		return
	}
	s.answer(w, func() reply {
		p := s.findUser(u, id)
		if p == nil {
			return noUser()
		}
		return reply{http.StatusOK, p.json()}
	})
}

// userFields validates the writable fields of a user like the API's
// serializer (every field optional). The setter it returns changes a record,
// so the caller holds s.mu when it calls it.
func userFields(body map[string]any) (func(*User), map[string][]string) {
	errs := map[string][]string{}
	var sets []func(*User)
	str := func(key string, maxLen int, email bool, set func(*User, string)) {
		sv, ok, msg := charField{allowBlank: true, maxLen: maxLen}.read(body, key)
		switch {
		case msg != "":
			errs[key] = append(errs[key], msg)
		case !ok:
		case email && sv != "" && !validEmail(sv):
			errs[key] = append(errs[key], "Enter a valid email address.")
		default:
			sets = append(sets, func(p *User) { set(p, sv) })
		}
	}
	str("email", 254, true, func(p *User, v string) { p.Email = v })
	str("first_name", 150, false, func(p *User, v string) { p.FirstName = v })
	str("last_name", 150, false, func(p *User, v string) { p.LastName = v })
	if v, present := body["groups"]; present {
		list, ok := v.([]any)
		if !ok {
			errs["groups"] = append(errs["groups"], invalidOrNull(v, `Expected a list of items but got type "`+jsonKind(v)+`".`))
		} else {
			ids := make([]int, 0, len(list))
			for _, it := range list {
				n, ok := drfInt(it)
				if _, exists := groupByID(n); !ok || !exists {
					errs["groups"] = append(errs["groups"], fmt.Sprintf(`Invalid pk "%v" - object does not exist.`, it))
					continue
				}
				ids = append(ids, n)
			}
			sets = append(sets, func(p *User) { p.Groups = ids })
		}
	}
	if v, present := body["is_active"]; present {
		b, ok := drfBool(v)
		if !ok {
			errs["is_active"] = append(errs["is_active"], invalidOrNull(v, "Must be a valid boolean."))
		} else {
			sets = append(sets, func(p *User) { p.IsActive = b })
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return func(p *User) {
		for _, set := range sets {
			set(p)
		}
	}, nil
}

// validEmail is a close reading of Django's EmailValidator: one address, an
// ASCII local part, and a domain with a dot whose last label (the top-level
// domain) has at least two characters.
func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v {
		return false
	}
	at := strings.LastIndexByte(v, '@')
	dot := strings.LastIndexByte(v, '.')
	for i := 0; i < at; i++ {
		if v[i] <= ' ' || v[i] >= 0x7f || v[i] == '"' {
			return false
		}
	}
	return at > 0 && dot > at+1 && len(v)-dot-1 >= 2 && !strings.HasSuffix(v, "-")
}

// createUser answers operation 31: the new user joins the caller's active
// workspace.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	if !s.can(w, u, "add_user") {
		return
	}
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	apply, errs := userFields(body)
	if errs != nil {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	s.answer(w, func() reply {
		p := &User{ID: s.nextPersonID, UUID: newUUID(s.rng), Groups: []int{GroupMember}, IsActive: true, Workspaces: []int{u.active}}
		s.nextPersonID++
		apply(p)
		s.people = append(s.people, p)
		return reply{http.StatusCreated, p.json()}
	})
}

// changeUser answers operations 33 and 34; every field is optional, so PUT
// and PATCH validate alike.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request, u *user, id string) {
	if !s.can(w, u, "change_user") {
		return
	}
	var found bool
	s.withLock(func() { found = s.findUser(u, id) != nil })
	if !found { // before reading the body, as DRF's get_object() runs first
		rp := noUser()
		writeJSON(w, rp.status, rp.body)
		return
	}
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	s.answer(w, func() reply {
		p := s.findUser(u, id)
		if p == nil {
			return noUser()
		}
		apply, errs := userFields(body)
		if errs != nil {
			return reply{http.StatusBadRequest, errs}
		}
		apply(p)
		return reply{http.StatusOK, p.json()}
	})
}

// deleteUser answers operation 35. A token user cannot be deleted.
func (s *Server) deleteUser(w http.ResponseWriter, _ *http.Request, u *user, id string) {
	if !s.can(w, u, "delete_user") {
		return
	}
	s.answer(w, func() reply {
		p := s.findUser(u, id)
		if p == nil {
			return noUser()
		}
		if p.ID <= len(s.users) {
			return reply{http.StatusForbidden, detail("The users of the test server's tokens cannot be deleted.")}
		}
		s.people = slices.DeleteFunc(s.people, func(x *User) bool { return x == p })
		return reply{status: http.StatusNoContent}
	})
}

// userHandlers are the handlers of the users, by operation
// number (endpoints.Operations); server.go joins them into handlers.
var userHandlers = map[int]handler{
	8:  (*Server).listUsers,  // GET accounts/users/
	9:  (*Server).getMe,      // GET accounts/users/me/
	10: (*Server).getMe,      // GET accounts/user/
	31: (*Server).createUser, // POST accounts/users/
	32: (*Server).getUser,    // GET accounts/users/{uuid}/
	33: (*Server).changeUser, // PUT accounts/users/{uuid}/
	34: (*Server).changeUser, // PATCH accounts/users/{uuid}/
	35: (*Server).deleteUser, // DELETE accounts/users/{uuid}/
}
