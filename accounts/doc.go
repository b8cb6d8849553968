// Package accounts is the Go client of the Coolset Accounts API: user
// accounts, workspaces (companies), users, invitations, organizations and
// country data.
//
// Create one Client and share it; it is safe for concurrent use:
//
//	client, err := accounts.NewClient(accounts.WithAPIKey(key))
//	page, err := client.Workspaces.List(ctx, workspaces.Where(workspaces.Type.Exact(workspaces.TypeActive)))
//	for ws, err := range client.Workspaces.All(ctx, nil) { ... }
//
// The client's fields are the services: Countries, Workspaces, Users,
// Invitations, Organizations (packages of the same names), and the
// account-level UserConfig, Analysts and Groups. LoginURL and Portal are
// methods of the Client itself.
//
// Every method takes a context.Context first and honours its cancellation,
// also while waiting to retry, and takes trailing RequestOptions (WithHeader,
// WithMaxRetries, WithTimeout, WithPrefetch, WithResponseInto,
// WithoutRecovery).
//
// # Lists
//
// Each list has List, one page with the server's count and links when it
// gives them, and All, an iterator over every item (iter.Seq2[*T, error]). All
// sends nothing until the loop starts and stops fetching when the loop breaks.
// It sends requests only to the client's scheme, host and base path: a next
// link to the same list elsewhere (a server behind a proxy writes its internal
// address) is asked on the base URL, and any other link away from it is
// refused; a repeated link or more items than the count is an error, never an
// endless loop. Every list's options embed its paging
// parameters from package paging (re-exported here as LimitOffset, PageNumber
// and PageOnly).
//
// # Errors
//
// An answer that is not a success is an *Error (errors.As), matching
// ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited or ErrInvalid
// (errors.Is) by status (ErrUnauthorized also matches a 403 that refuses the
// credentials in Django REST framework's words). Input the SDK refuses before sending is an
// *InputError naming the field. A call that got no answer is a
// *TransportError; a refused redirect or next link a *RedirectError. A write
// whose repetition would act twice and whose request may have reached the
// server fails matching ErrMayHaveActed, and a create whose lost answer the
// SDK could not recover is a *RecoveryError (see "Lost answers" in the
// README). Errors never contain the credentials or a query string.
//
// # Testing
//
// Package accountstest is an in-memory Accounts API server to run tests and
// examples against.
package accounts
