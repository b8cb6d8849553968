package accounts_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/invitations"
	"github.com/coolset-go/sdk/organizations"
	"github.com/coolset-go/sdk/users"
	"github.com/jarcoal/httpmock"
)

const orgsURL = "https://api.test/api/accounts/organizations/"

// emptyPage is a list answer without items.
const emptyPage = `{"count":0,"next":null,"previous":null,"results":[]}`

// TestRecoveryLookupFailureIsARecoveryError: when the lookup cannot tell,
// the error says so, names the lookup and keeps both failures.
func TestRecoveryLookupFailureIsARecoveryError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(502, `<h1>502 Bad Gateway</h1>`, "Content-Type", "text/html")))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(403, `{"detail":"You do not have permission to perform this action."}`)))
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Acme", Slug: "acme"})
	var rec *accounts.RecoveryError
	if !errors.As(err, &rec) {
		t.Fatalf("err = %v, want a *RecoveryError", err)
	}
	var first, lookup *accounts.Error
	if !errors.As(rec.Err, &first) || first.StatusCode != 502 || !errors.As(rec.LookupErr, &lookup) || lookup.StatusCode != 403 {
		t.Errorf("create failure %v, lookup failure %v", rec.Err, rec.LookupErr)
	}
	if !errors.As(err, &first) || first.StatusCode != 502 {
		t.Errorf("errors.As reaches %v first, want the create's 502", first)
	}
	if !errors.Is(err, accounts.ErrMayHaveActed) || !errors.Is(err, accounts.ErrForbidden) {
		t.Errorf("err = %v, want it to match ErrMayHaveActed and the lookup's ErrForbidden", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "could not tell") || !strings.Contains(msg, "organizations/ (filtered by slug)") || strings.Contains(msg, "acme") {
		t.Errorf("message %q: want it to name the lookup and no value", msg)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want the create and one lookup", n)
	}
}

// TestRecoveryDifferentObjectIsNotTaken: an object with the same key and
// other values is not the call's result.
func TestRecoveryDifferentObjectIsNotTaken(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(504, ``)))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200,
		`{"count":1,"next":null,"previous":null,"results":[{"uuid":"`+orgUUID+`","name":"Someone else","slug":"acme"}]}`)))
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Acme", Slug: "acme"})
	var rec *accounts.RecoveryError
	if !errors.As(err, &rec) || !strings.Contains(err.Error(), "other values") {
		t.Fatalf("err = %v, want a *RecoveryError for a different object", err)
	}
	if n := mt.GetCallCountInfo()["POST "+orgsURL]; n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

// TestRecoveryAbsentIsSentAgain: a create the lookup does not find is sent
// again, and its answer is not marked recovered.
func TestRecoveryAbsentIsSentAgain(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(500, djangoServerError, "Content-Type", "text/html"), answer(201, orgJSON)))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200, emptyPage)))
	o, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
	if err != nil || o.UUID != orgUUID || o.Recovered {
		t.Fatalf("create = %+v, %v", o, err)
	}
	info := mt.GetCallCountInfo()
	if info["POST "+orgsURL] != 2 || mt.GetTotalCallCount() != 3 {
		t.Errorf("calls %v; want create, lookup, create", info)
	}
}

// TestRecoveryFoundIsTheResult: a create the lookup finds is the result,
// marked recovered, logged, and not sent again.
func TestRecoveryFoundIsTheResult(t *testing.T) {
	var logs bytes.Buffer
	c, mt := newMockClient(t, accounts.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	mt.RegisterResponder("POST", orgsURL, sequence(answer(502, ``)))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?.*slug=green-harbor`, sequence(answer(200,
		`{"count":1,"next":null,"previous":null,"results":[`+orgJSON+`]}`)))
	o, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
	if err != nil || o.UUID != orgUUID || !o.Recovered {
		t.Fatalf("create = %+v, %v", o, err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want the create and the lookup", n)
	}
	if !strings.Contains(logs.String(), `msg="accounts: recovered a create whose answer was lost" object=organization`) ||
		strings.Contains(logs.String(), "green-harbor") {
		t.Errorf("log:\n%s\nwant the recovery logged, without the slug", logs.String())
	}
}

// TestRecoveryIsBoundedByTheRetryBudget: a create whose answer is always lost
// and never found is sent 1 + MaxRetries times, with one lookup each.
func TestRecoveryIsBoundedByTheRetryBudget(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(502, ``)))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200, emptyPage)))
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Acme", Slug: "acme"}, accounts.WithMaxRetries(2))
	if !errors.Is(err, accounts.ErrMayHaveActed) {
		t.Fatalf("err = %v, want the last failure, which may have acted", err)
	}
	if info := mt.GetCallCountInfo(); info["POST "+orgsURL] != 3 || mt.GetTotalCallCount() != 6 {
		t.Errorf("calls %v; want 3 creates and 3 lookups", info)
	}
}

// TestRecoveryOfAUserWithoutEmailIsNotAttempted: without its natural key a
// create is never sent twice.
func TestRecoveryOfAUserWithoutEmailIsNotAttempted(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", "https://api.test/api/accounts/users/", sequence(answer(504, ``)))
	_, err := c.Users.Create(context.Background(), &users.CreateRequest{FirstName: "No", LastName: "Email"})
	if !errors.Is(err, accounts.ErrMayHaveActed) {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRecoveryWithTimeoutBoundsTheWhole: WithTimeout bounds the create and its
// recovery together; a lookup cut by it is a RecoveryError that still
// matches the context's error.
func TestRecoveryWithTimeoutBoundsTheWhole(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(502, ``)))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Acme", Slug: "acme"}, accounts.WithTimeout(50e6))
	var rec *accounts.RecoveryError
	if !errors.As(err, &rec) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a RecoveryError ended by the call's deadline", err)
	}
}

// writeCalls makes each write operation of the API once, by number.
var writeCalls = map[int]func(c *accounts.Client) error{
	4: func(c *accounts.Client) error { _, err := c.UserConfig.Patch(context.Background(), nil); return err },
	6: func(c *accounts.Client) error {
		_, err := c.Invitations.Send(context.Background(), &invitations.SendRequest{Email: "a@example.com", AuthGroup: 1})
		return err
	},
	12: func(c *accounts.Client) error { _, err := c.Workspaces.Switch(context.Background(), 1); return err },
	15: func(c *accounts.Client) error {
		_, err := c.Analysts.PatchMe(context.Background(), nil)
		return err
	},
	18: func(c *accounts.Client) error {
		_, err := c.Invitations.Create(context.Background(), &invitations.CreateRequest{InviteeIdentifier: "a@example.com"})
		return err
	},
	20: func(c *accounts.Client) error {
		_, err := c.Invitations.Resend(context.Background(), orgUUID)
		return err
	},
	21: func(c *accounts.Client) error { return c.Invitations.Revoke(context.Background(), orgUUID) },
	22: func(c *accounts.Client) error {
		_, err := c.LoginURL(context.Background(), "a@example.com")
		return err
	},
	24: func(c *accounts.Client) error {
		_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "A", Slug: "a"})
		return err
	},
	26: func(c *accounts.Client) error {
		_, err := c.Organizations.Update(context.Background(), orgUUID, &organizations.UpdateRequest{Name: "A", Slug: "a"})
		return err
	},
	27: func(c *accounts.Client) error {
		_, err := c.Organizations.Patch(context.Background(), orgUUID, nil)
		return err
	},
	28: func(c *accounts.Client) error { return c.Organizations.Delete(context.Background(), orgUUID) },
	29: func(c *accounts.Client) error {
		_, err := c.Organizations.Increment(context.Background(), orgUUID, 1)
		return err
	},
	31: func(c *accounts.Client) error {
		_, err := c.Users.Create(context.Background(), &users.CreateRequest{Email: "a@example.com"})
		return err
	},
	33: func(c *accounts.Client) error {
		_, err := c.Users.Update(context.Background(), orgUUID, &users.UpdateRequest{Email: "a@example.com"})
		return err
	},
	34: func(c *accounts.Client) error {
		_, err := c.Users.Patch(context.Background(), orgUUID, nil)
		return err
	},
	35: func(c *accounts.Client) error { return c.Users.Delete(context.Background(), orgUUID) },
}

// TestEveryWriteBehavesAsTheTableSays: each write of the operation table
// does what its kind says when its first answer is a proxy's 502: a Repeat is sent again and succeeds, a Never
// is not and says the server may have acted, a Recover looks before sending
// again.
func TestEveryWriteBehavesAsTheTableSays(t *testing.T) {
	// endpoints' own test checks that every write has a kind and no read
	// has one.
	for _, op := range endpoints.Operations {
		if op.Kind == 0 {
			continue
		}
		n, method, kind := op.N, op.Method, op.Kind
		call := writeCalls[n]
		if call == nil {
			t.Errorf("no call for operation %d", n)
			continue
		}
		t.Run(fmt.Sprintf("%s/%s/%02d", kind, method, n), func(t *testing.T) {
			c, mt := newMockClient(t)
			var mu sync.Mutex
			var seen []string
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				mu.Lock()
				seen = append(seen, r.Method)
				first := len(seen) == 1
				mu.Unlock()
				switch {
				case first:
					return httpmock.NewStringResponse(502, "<h1>502 Bad Gateway</h1>"), nil
				case r.Method == "GET":
					return httpmock.NewStringResponse(200, emptyPage), nil
				case r.Method == "DELETE":
					return httpmock.NewStringResponse(204, ""), nil
				}
				return httpmock.NewStringResponse(200, `{}`), nil
			})
			err := call(c)
			mu.Lock()
			defer mu.Unlock()
			switch kind {
			case endpoints.Repeat:
				if err != nil || len(seen) != 2 || seen[1] != method {
					t.Errorf("requests %v, err %v; want the write sent again and success", seen, err)
				}
			case endpoints.Never:
				if !errors.Is(err, accounts.ErrMayHaveActed) || len(seen) != 1 {
					t.Errorf("requests %v, err %v; want one request and an error that says the server may have acted", seen, err)
				}
			case endpoints.Recover:
				if err != nil || len(seen) < 2 || seen[len(seen)-1] != method {
					t.Errorf("requests %v, err %v; want the create sent again after finding nothing", seen, err)
				}
			}
		})
	}
}

// TestRecoveryAfterARefusedResend: the first create was committed only after
// the lookup looked (a proxy gave up while the application was still
// working), so the resend is refused as a duplicate; one more lookup finds
// the object, which is the result.
func TestRecoveryAfterARefusedResend(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(504, ``),
		answer(400, `{"slug":["organization with this slug already exists."]}`, "Content-Type", "application/json")))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200, emptyPage),
		answer(200, `{"count":1,"next":null,"previous":null,"results":[`+orgJSON+`]}`)))
	o, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
	if err != nil || !o.Recovered || o.UUID != orgUUID {
		t.Fatalf("create = %+v, %v; want the object found after the refusal", o, err)
	}
	if info := mt.GetCallCountInfo(); info["POST "+orgsURL] != 2 || mt.GetTotalCallCount() != 4 {
		t.Errorf("calls %v; want create, lookup, create, lookup", info)
	}
}

// TestRecoveryARefusedResendOfSomethingElseIsTheRefusal: when the second
// lookup does not find the object either, the refusal is the answer.
func TestRecoveryARefusedResendOfSomethingElseIsTheRefusal(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(502, ``),
		answer(400, `{"name":["Ensure this field has no more than 200 characters."]}`, "Content-Type", "application/json")))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200, emptyPage)))
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
	var apiErr *accounts.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.FieldErrors["name"] == nil {
		t.Fatalf("err = %v, want the refusal", err)
	}
}

// TestRecoverySendRefusedInOtherWordsIsUnsettled: a workspace invitation
// has no lookup; after a lost answer, only the server's "already pending"
// refusal of the second send proves the first arrived. Any other failure of
// the second send (a refusal in words the SDK does not know, as a server
// speaking another language gives, or a 403) proves nothing either way: the
// error must still say that the server may have acted, and hold both
// answers.
func TestRecoverySendRefusedInOtherWordsIsUnsettled(t *testing.T) {
	const invitationsURL = "https://api.test/api/accounts/invitations/"
	for name, second := range map[string]struct {
		status int
		body   string
	}{
		"refusal in Dutch": {400, `{"email":["Er is al een uitnodiging voor dit e-mailadres."]}`},
		"forbidden":        {403, `{"detail":"You do not have permission to perform this action."}`},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("POST", invitationsURL, sequence(answer(502, ``),
				answer(second.status, second.body, "Content-Type", "application/json")))
			_, err := c.Invitations.Send(context.Background(), &invitations.SendRequest{Email: "a@example.com", AuthGroup: 1})
			var rec *accounts.RecoveryError
			if !errors.As(err, &rec) || !errors.Is(err, accounts.ErrMayHaveActed) || errors.Is(err, invitations.ErrAlreadyPending) {
				t.Fatalf("err = %v; want a RecoveryError that matches ErrMayHaveActed", err)
			}
			var first, again *accounts.Error
			if !errors.As(rec.Err, &first) || first.StatusCode != 502 || !errors.As(rec.LookupErr, &again) || again.StatusCode != second.status {
				t.Fatalf("err = %v; want the 502 and the %d", err, second.status)
			}
			if !strings.Contains(err.Error(), "POST accounts/invitations/ again") {
				t.Errorf("err = %q; want it to name the sending again", err)
			}
			if n := mt.GetCallCountInfo()["POST "+invitationsURL]; n != 2 {
				t.Errorf("%d sends, want 2", n)
			}
		})
	}
}

// TestRecoveryARefusedResendWhoseLookupFailsIsUnsettled: the resend after a
// lost answer is refused as a duplicate, and the second lookup, which would
// tell whether the first send made the duplicate, fails: the outcome is
// unknown, and the error must say that the server may have acted, with the
// refusal and the lookup's failure both reachable.
func TestRecoveryARefusedResendWhoseLookupFailsIsUnsettled(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", orgsURL, sequence(answer(504, ``),
		answer(400, `{"slug":["organization with this slug already exists."]}`, "Content-Type", "application/json")))
	mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200, emptyPage),
		answer(403, `{"detail":"You do not have permission to perform this action."}`, "Content-Type", "application/json")))
	_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Green Harbor", Slug: "green-harbor"})
	var rec *accounts.RecoveryError
	if !errors.As(err, &rec) || !errors.Is(err, accounts.ErrMayHaveActed) {
		t.Fatalf("err = %v; want a RecoveryError matching ErrMayHaveActed", err)
	}
	var first, refusal, lookup *accounts.Error
	if !errors.As(rec.Err, &first) || first.StatusCode != 504 {
		t.Errorf("create failure %v, want the 504", rec.Err)
	}
	var both interface{ Unwrap() []error }
	if !errors.As(rec.LookupErr, &both) || len(both.Unwrap()) != 2 ||
		!errors.As(both.Unwrap()[0], &refusal) || refusal.StatusCode != 400 ||
		!errors.As(both.Unwrap()[1], &lookup) || lookup.StatusCode != 403 {
		t.Errorf("lookup failure %v, want the refusal and the lookup's 403", rec.LookupErr)
	}
	if info := mt.GetCallCountInfo(); info["POST "+orgsURL] != 2 || mt.GetTotalCallCount() != 4 {
		t.Errorf("calls %v; want create, lookup, create, lookup", info)
	}
}

// TestRecoveryNeverResendsAfterASuccessAnswer: a create with a lookup
// answered with a success the SDK cannot read (an empty 201, an HTML page
// with 200) looks once and is never sent again: the server said it acted,
// and a lookup that finds nothing proves nothing (users' emails are not
// unique, so a second send could make a second user). The error matches
// ErrMayHaveActed. (Invitations.Send sends again: the server's refusal of a
// second invitation is its proof; the lost-answers tests cover it.)
func TestRecoveryNeverResendsAfterASuccessAnswer(t *testing.T) {
	for name, success := range map[string]struct {
		status      int
		body, ctype string
	}{
		"empty 201":     {201, ``, "application/json"},
		"HTML with 200": {200, `<html><body>Please log in</body></html>`, "text/html"},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("POST", orgsURL, sequence(answer(success.status, success.body, "Content-Type", success.ctype)))
			mt.RegisterResponder("GET", `=~^`+orgsURL+`\?`, sequence(answer(200, emptyPage)))
			_, err := c.Organizations.Create(context.Background(), &organizations.CreateRequest{Name: "Acme", Slug: "acme"})
			if !errors.Is(err, accounts.ErrMayHaveActed) {
				t.Errorf("err = %v; want it to match ErrMayHaveActed", err)
			}
			if info := mt.GetCallCountInfo(); info["POST "+orgsURL] != 1 || mt.GetTotalCallCount() != 2 {
				t.Errorf("calls %v; want the create and one lookup", info)
			}
		})
	}
}
