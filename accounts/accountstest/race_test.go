package accountstest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentChangesAndReads changes the owner's record (operations 33 and
// 34, the consent, the configuration, the active workspace) while other
// goroutines read it through every operation that renders a user or checks
// the caller's role. Under -race it fails if any of them reads a record
// outside the server's lock.
func TestConcurrentChangesAndReads(t *testing.T) {
	s := guardedServer(t)
	owner, _ := s.TokenUser(OwnerToken)
	const rounds = 100
	writes := []struct{ method, path, body string }{
		{"PATCH", "/api/accounts/users/" + owner.UUID + "/", `{"groups":[1],"first_name":"Patched %d"}`},
		{"PUT", "/api/accounts/users/" + owner.UUID + "/", `{"groups":[1,2],"last_name":"Put %d"}`},
		{"PATCH", "/api/accounts/analysts/current/", `{"consent_given":%[1]d}`},
		{"PATCH", "/api/accounts/user-config", `{"sign_stakeholder_agreement":%[1]d}`},
		{"POST", "/api/accounts/users/me/switch-workspace/", `{"company_id":1}`},
	}
	reads := []struct{ method, path, body string }{
		{"GET", "/api/accounts/users/?page_size=50", ""},
		{"GET", "/api/accounts/users/?page=2&page_size=50", ""},
		{"GET", "/api/accounts/users/?limit=20", ""},
		{"GET", "/api/accounts/users/?search=owner", ""},
		{"GET", "/api/accounts/users/" + owner.UUID + "/", ""},
		{"GET", "/api/accounts/users/me/", ""},
		{"GET", "/api/accounts/user/", ""},
		{"GET", "/api/accounts/portal/", ""},
		{"GET", "/api/accounts/analysts/", ""},
		{"GET", "/api/accounts/analysts/current/", ""},
		{"GET", "/api/accounts/invite/", ""},
		{"GET", "/api/accounts/user-config", ""},
		{"POST", "/api/accounts/invite/", `{"invitee_identifier":"race-%d@example.com","role":"ADMIN"}`},
		{"POST", "/api/accounts/invitations/", `{"email":"race-%d@example.com","auth_group":2}`},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*rounds)
	run := func(list []struct{ method, path, body string }, shift int) {
		defer wg.Done()
		for i := range rounds {
			rq := list[(i+shift)%len(list)]
			body := rq.body
			if strings.Contains(body, "%") {
				n := i % 2 // a boolean, or which name
				if rq.method == "POST" {
					n = 1000*shift + i // a new invitee
				}
				body = fmt.Sprintf(body, n)
			}
			status, b, err := send(s, rq.method, rq.path, OwnerToken, body)
			if err != nil || status >= 300 && status != 302 {
				errs <- fmt.Errorf("%s %s %s: %d %v %.200s", rq.method, rq.path, body, status, err, b)
			}
		}
	}
	wg.Add(4)
	go run(writes, 0)
	go run(reads, 1)
	go run(reads, 2)
	go func() { // the exported accessors read the same records
		defer wg.Done()
		for range rounds {
			_ = s.Users()
			_, _ = s.TokenUser(OwnerToken)
			_ = s.UsersOfWorkspace(1)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
