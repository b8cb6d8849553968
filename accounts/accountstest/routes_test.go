package accountstest

import (
	"net/http"
	"testing"

	"github.com/coolset-go/sdk/internal/endpoints"
)

// TestEveryOperationHasAHandler checks that the server answers every
// operation of endpoints.Operations with a handler of its own, and has no
// handler for an operation the table lacks.
func TestEveryOperationHasAHandler(t *testing.T) {
	for _, op := range endpoints.Operations {
		if handlers[op.N] == nil {
			t.Errorf("operation %d (%s) has no handler in accountstest (a map of handlers next to them, joined in server.go)", op.N, op)
		}
	}
	for n := range handlers {
		if n < 1 || n > len(endpoints.Operations) {
			t.Errorf("handler for operation %d, which endpoints.Operations does not have", n)
		}
	}
}

// TestRoutesByTheTable sends each operation of the table to the server, at
// an identifier no object has, and checks that a handler answered: the
// server's 404 page ("no view") and 405 mean it was not routed.
func TestRoutesByTheTable(t *testing.T) {
	srv := NewServer(WithWorkspaceCount(3), WithUserCount(3))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, op := range endpoints.Operations {
		req, err := http.NewRequest(op.Method, srv.URL()+op.Expand("no-such-object"), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+OwnerToken)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode >= 500 ||
			ct == "text/html; charset=utf-8" && resp.StatusCode == http.StatusNotFound {
			t.Errorf("operation %d (%s): %d %s, not answered by its handler", op.N, op, resp.StatusCode, ct)
		}
	}
}

func TestJoinHandlersRefusesTwoForOneOperation(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("joinHandlers accepted two handlers for operation 1")
		}
	}()
	joinHandlers(map[int]handler{1: (*Server).listCountries}, map[int]handler{1: (*Server).getCountry})
}
