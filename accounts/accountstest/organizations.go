package accountstest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Organization is one organization (seed 002) and its usage counter.
type Organization struct {
	// ID is the organization's numeric id.
	ID int
	// UUID identifies the organization in accounts/organizations/{uuid}/.
	UUID string
	// Name is the organization's name.
	Name string
	// Slug is the organization's unique slug.
	Slug string
	// Limit is the most usage allowed.
	Limit int
	// Usage is the usage so far.
	Usage int
	// Overridden, when true, lets increments pass Limit.
	Overridden bool
}

// DefaultOrganizationCount is how many organizations a new server has.
const DefaultOrganizationCount = 25

// DefaultUsageLimit is the usage limit of every organization.
const DefaultUsageLimit = 1000

type organizationJSON struct {
	UUID             string `json:"uuid"`
	Name             string `json:"name"`
	Slug             string `json:"slug"`
	AccountPortalURL string `json:"account_portal_url"`
}

func (o Organization) json() organizationJSON {
	return organizationJSON{UUID: o.UUID, Name: o.Name, Slug: o.Slug, AccountPortalURL: "https://portal.accountstest.invalid/" + o.Slug}
}

// newUUID returns a random (version 4) UUID drawn from rng.
func newUUID(rng *rand.Rand) string {
	a, b := rng.Uint64(), rng.Uint64()
	a = a&^0xf000 | 0x4000           // version 4
	b = b&^(0xc000<<48) | 0x8000<<48 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func generateOrganizations(rng *rand.Rand, n int) []Organization {
	out := make([]Organization, n)
	for i := range out {
		name := fmt.Sprintf("%s %s", adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))])
		out[i] = Organization{
			ID: i + 1, UUID: newUUID(rng), Name: name,
			Slug:  strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "-" + strconv.Itoa(i+1),
			Limit: DefaultUsageLimit, Usage: rng.IntN(DefaultUsageLimit / 2), Overridden: i%10 == 9,
		}
	}
	return out
}

// Organizations returns every organization, in creation order.
func (s *Server) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.orgs)
}

// canManage reports whether u may create, change or delete organizations:
// owners and admins, by the user's current auth group (which a user update
// can change), as for every other permission.
func (s *Server) canManage(w http.ResponseWriter, u *user) bool {
	if g := s.roleOf(u); g == GroupOwner || g == GroupAdmin {
		return true
	}
	writeJSON(w, http.StatusForbidden, detail("You do not have permission to perform this action."))
	return false
}

func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request, _ *user, _ string) {
	q := r.URL.Query()
	id, idErr := strconv.Atoi(q.Get("id"))
	if q.Get("id") != "" && idErr != nil {
		writeJSON(w, http.StatusBadRequest, fieldError("id", "Enter a number."))
		return
	}
	search := searchTerms(q.Get("search"))
	var list []organizationJSON
	s.withLock(func() {
		for _, o := range s.orgs {
			if q.Get("id") != "" && o.ID != id || q.Get("uuid") != "" && !strings.EqualFold(o.UUID, q.Get("uuid")) ||
				q.Get("name") != "" && o.Name != q.Get("name") || q.Get("slug") != "" && o.Slug != q.Get("slug") ||
				!searchMatch(search, o.Name, o.Slug) {
				continue
			}
			list = append(list, o.json())
		}
	})
	from, to, next, prev, ok := s.pageNumber(w, r, len(list))
	if !ok {
		return
	}
	results := list[from:to]
	if results == nil {
		results = []organizationJSON{}
	}
	writeJSON(w, http.StatusOK, envelope{Count: len(list), Next: next, Previous: prev, Results: results})
}

var slugPattern = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// organizationFields validates name and slug the way the API's serializer
// does; partial allows either to be absent. The caller holds s.mu.
func (s *Server) organizationFields(body map[string]any, partial bool, self int) (name, slug *string, errs map[string][]string) {
	errs = map[string][]string{}
	str := func(key string, maxLen int) *string {
		v, ok, msg := charField{required: !partial, maxLen: maxLen}.read(body, key)
		if msg != "" {
			errs[key] = append(errs[key], msg)
		}
		if !ok {
			return nil
		}
		return &v
	}
	name = str("name", 200)
	slug = str("slug", 200)
	if slug != nil {
		switch {
		case !slugPattern.MatchString(*slug):
			errs["slug"] = append(errs["slug"], `Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.`)
			slug = nil
		case slices.ContainsFunc(s.orgs, func(o Organization) bool { return o.Slug == *slug && o.ID != self }):
			errs["slug"] = append(errs["slug"], "organization with this slug already exists.")
			slug = nil
		}
	}
	if len(errs) == 0 {
		errs = nil
	}
	return name, slug, errs
}

func (s *Server) createOrganization(w http.ResponseWriter, r *http.Request, u *user, _ string) {
	if !s.canManage(w, u) {
		return
	}
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	s.answer(w, func() reply {
		name, slug, errs := s.organizationFields(body, false, 0)
		if errs != nil {
			return reply{http.StatusBadRequest, errs}
		}
		o := Organization{ID: s.nextOrgID, UUID: newUUID(s.rng), Name: *name, Slug: *slug, Limit: DefaultUsageLimit}
		s.nextOrgID++
		s.orgs = append(s.orgs, o)
		return reply{http.StatusCreated, o.json()}
	})
}

// findOrganization returns the index of the organization with uuid, or -1.
// The caller holds s.mu.
func (s *Server) findOrganization(uuid string) int {
	return slices.IndexFunc(s.orgs, func(o Organization) bool { return strings.EqualFold(o.UUID, uuid) })
}

// noOrganization is findOrganization's 404.
func noOrganization() reply {
	return reply{http.StatusNotFound, detail("No Organization matches the given query.")}
}

func (s *Server) getOrganization(w http.ResponseWriter, _ *http.Request, _ *user, id string) {
	s.answer(w, func() reply {
		i := s.findOrganization(id)
		if i < 0 {
			return noOrganization()
		}
		return reply{http.StatusOK, s.orgs[i].json()}
	})
}

func (s *Server) putOrganization(w http.ResponseWriter, r *http.Request, u *user, id string) {
	s.changeOrganization(w, r, u, id, false)
}

func (s *Server) patchOrganization(w http.ResponseWriter, r *http.Request, u *user, id string) {
	s.changeOrganization(w, r, u, id, true)
}

// organizationExists answers 404 and reports false when no organization has
// uuid. Detail views call it before reading the body, as DRF's get_object()
// runs before request.data is parsed.
func (s *Server) organizationExists(w http.ResponseWriter, uuid string) bool {
	var found bool
	s.withLock(func() { found = s.findOrganization(uuid) >= 0 })
	if !found {
		rp := noOrganization()
		writeJSON(w, rp.status, rp.body)
	}
	return found
}

func (s *Server) changeOrganization(w http.ResponseWriter, r *http.Request, u *user, id string, partial bool) {
	if !s.canManage(w, u) || !s.organizationExists(w, id) {
		return
	}
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	s.answer(w, func() reply {
		i := s.findOrganization(id)
		if i < 0 {
			return noOrganization()
		}
		name, slug, errs := s.organizationFields(body, partial, s.orgs[i].ID)
		if errs != nil {
			return reply{http.StatusBadRequest, errs}
		}
		if name != nil {
			s.orgs[i].Name = *name
		}
		if slug != nil {
			s.orgs[i].Slug = *slug
		}
		return reply{http.StatusOK, s.orgs[i].json()}
	})
}

func (s *Server) deleteOrganization(w http.ResponseWriter, _ *http.Request, u *user, id string) {
	if !s.canManage(w, u) {
		return
	}
	s.answer(w, func() reply {
		i := s.findOrganization(id)
		if i < 0 {
			return noOrganization()
		}
		s.orgs = slices.Delete(s.orgs, i, i+1)
		return reply{status: http.StatusNoContent}
	})
}

// maxUsage bounds an organization's usage either way, so that usage plus an
// increment, and the limit minus the usage, never overflow an int. An
// increment that would leave the bounds is refused with Django REST
// framework's max_value or min_value message.
const maxUsage = math.MaxInt / 2

// incrementOrganization adds usage; past the limit it answers 400 unless the
// organization's limit is overridden.
func (s *Server) incrementOrganization(w http.ResponseWriter, r *http.Request, _ *user, id string) {
	if !s.organizationExists(w, id) {
		return
	}
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	n := 1
	if v, present := body["usage"]; present {
		if n, ok = drfInt(v); !ok {
			writeJSON(w, http.StatusBadRequest, fieldError("usage", invalidOrNull(v, "A valid integer is required.")))
			return
		}
	}
	s.answer(w, func() reply {
		i := s.findOrganization(id)
		if i < 0 {
			return noOrganization()
		}
		o := &s.orgs[i]
		if hi := maxUsage - o.Usage; n > hi {
			return reply{http.StatusBadRequest, fieldError("usage", fmt.Sprintf("Ensure this value is less than or equal to %d.", hi))}
		}
		if lo := -maxUsage - o.Usage; n < lo {
			return reply{http.StatusBadRequest, fieldError("usage", fmt.Sprintf("Ensure this value is greater than or equal to %d.", lo))}
		}
		if !o.Overridden && o.Usage+n > o.Limit {
			return reply{http.StatusBadRequest, fieldError("usage", fmt.Sprintf("Usage limit of %d would be exceeded (current usage %d).", o.Limit, o.Usage))}
		}
		o.Usage += n
		return reply{http.StatusOK, map[string]any{"limit": o.Limit, "usage": o.Usage, "remaining": o.Limit - o.Usage, "overriden": o.Overridden}}
	})
}

// organizationHandlers are the handlers of the organizations, by operation
// number (endpoints.Operations); server.go joins them into handlers.
var organizationHandlers = map[int]handler{
	23: (*Server).listOrganizations,     // GET accounts/organizations/
	24: (*Server).createOrganization,    // POST accounts/organizations/
	25: (*Server).getOrganization,       // GET accounts/organizations/{uuid}/
	26: (*Server).putOrganization,       // PUT accounts/organizations/{uuid}/
	27: (*Server).patchOrganization,     // PATCH accounts/organizations/{uuid}/
	28: (*Server).deleteOrganization,    // DELETE accounts/organizations/{uuid}/
	29: (*Server).incrementOrganization, // POST accounts/organizations/{uuid}/increment/
}
