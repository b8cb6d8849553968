package accountstest

import (
	"net/http"
	"net/url"
	"strings"
)

type analystJSON struct {
	ConsentGiven bool   `json:"consent_given"`
	UserUUID     string `json:"user_uuid"`
	Email        string `json:"email"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
}

func (p *User) analyst() analystJSON {
	return analystJSON{ConsentGiven: p.Consent, UserUUID: p.UUID, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName}
}

// listAnalysts answers operation 13: the analysts, searched by name or email,
// paged by page/page_size. The items carry more than the two documented
// fields, as an undocumented schema may.
func (s *Server) listAnalysts(w http.ResponseWriter, r *http.Request, _ *user, _ string) {
	search := searchTerms(r.URL.Query().Get("search"))
	var list []analystJSON
	s.withLock(func() {
		for _, p := range s.people {
			if p.Analyst && searchMatch(search, p.FirstName, p.LastName, p.Email) {
				list = append(list, p.analyst())
			}
		}
	})
	from, to, next, prev, ok := s.pageNumber(w, r, len(list))
	if !ok {
		return
	}
	results := list[from:to]
	if results == nil {
		results = []analystJSON{}
	}
	writeJSON(w, http.StatusOK, envelope{Count: len(list), Next: next, Previous: prev, Results: results})
}

// currentAnalyst answers operation 14 with the documented two fields.
func (s *Server) currentAnalyst(w http.ResponseWriter, _ *http.Request, u *user, _ string) {
	s.answer(w, func() reply {
		return reply{http.StatusOK, map[string]any{"consent_given": u.person.Consent, "user_uuid": u.person.UUID}}
	})
}

// patchCurrentAnalyst answers operation 15: consent_given is a boolean;
// user_uuid is read-only and ignored.
func (s *Server) patchCurrentAnalyst(w http.ResponseWriter, r *http.Request, u *user, id string) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	if v, present := body["consent_given"]; present {
		b, ok := drfBool(v)
		if !ok {
			writeJSON(w, http.StatusBadRequest, fieldError("consent_given", invalidOrNull(v, "Must be a valid boolean.")))
			return
		}
		s.withLock(func() { u.person.Consent = b })
	}
	s.currentAnalyst(w, r, u, id)
}

// listGroups answers operation 16: the auth groups with their permissions
// (undocumented members), paged by page.
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, _ *user, _ string) {
	list := make([]map[string]any, len(groups))
	for i, g := range groups {
		list[i] = map[string]any{"id": g.ID, "name": g.Name, "permissions": g.Permissions}
	}
	from, to, next, prev, ok := s.pageNumber(w, r, len(list))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, envelope{Count: len(list), Next: next, Previous: prev, Results: list[from:to]})
}

// loginURL answers operation 22: 400 for an invalid email, the manual-entry
// route for an email several users share, and login parameters otherwise
// (also for an address no user has, so that the answer does not reveal who
// has an account).
func (s *Server) loginURL(w http.ResponseWriter, r *http.Request, _ *user, _ string) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	email, _, msg := charField{required: true}.read(body, "email")
	if msg == "" && !validEmail(email) {
		msg = "Enter a valid email address."
	}
	if msg != "" {
		writeJSON(w, http.StatusBadRequest, fieldError("email", msg))
		return
	}
	n := 0
	s.withLock(func() {
		for _, p := range s.people {
			if strings.EqualFold(p.Email, email) {
				n++
			}
		}
	})
	if n > 1 {
		writeJSON(w, http.StatusOK, map[string]string{"params": ManualEntryParams})
		return
	}
	q := url.Values{"login_hint": {"https://login.accountstest.invalid/authorize?domain=" + email[strings.LastIndexByte(email, '@')+1:]}, "account_identifier": {email}}
	writeJSON(w, http.StatusOK, map[string]string{"params": q.Encode()})
}

// PortalURL is where the portal endpoint redirects owners and admins.
const PortalURL = "https://portal.accountstest.invalid/session"

// portal answers operation 30: owners and admins are redirected (302) to
// PortalURL; anyone else gets 200 without a body.
func (s *Server) portal(w http.ResponseWriter, _ *http.Request, u *user, _ string) {
	if r := s.roleOf(u); r == GroupOwner || r == GroupAdmin {
		w.Header().Set("Location", PortalURL)
		w.WriteHeader(http.StatusFound)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// accountHandlers are the handlers of the analysts, the groups, the login URL and the portal, by operation
// number (endpoints.Operations); server.go joins them into handlers.
var accountHandlers = map[int]handler{
	13: (*Server).listAnalysts,        // GET accounts/analysts/
	14: (*Server).currentAnalyst,      // GET accounts/analysts/current/
	15: (*Server).patchCurrentAnalyst, // PATCH accounts/analysts/current/
	16: (*Server).listGroups,          // GET accounts/groups/
	22: (*Server).loginURL,            // POST accounts/login_url/
	30: (*Server).portal,              // GET accounts/portal/
}
