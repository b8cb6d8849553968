// Package accountstest is an in-memory Accounts API: a real HTTP server
// (net/http/httptest) that answers like the API, with Django REST framework's
// behaviour, for tests and examples.
//
//	srv := accountstest.NewServer()
//	defer srv.Close()
//	client, err := accounts.NewClient(
//		accounts.WithBaseURL(srv.URL()),
//		accounts.WithAPIKey(accountstest.OwnerToken),
//	)
//
// # Users and tokens
//
// Three users, each with a token sent as "Authorization: Bearer <token>" (the
// "Token" scheme works too):
//
//   - OwnerToken: OWNER of every workspace.
//   - AdminToken: ADMIN of about 50 workspaces (every 24th, by default).
//   - MemberToken: MEMBER of about 5 workspaces.
//
// Each user's active workspace is initially their first. A missing header
// answers 401 "Authentication credentials were not provided.", an unknown
// token 401 "Invalid token."; with WithSessionAuthenticationFirst both are
// 403, as Django REST framework answers when SessionAuthentication is its
// first authentication class.
//
// # Data
//
// Generated from a seed (WithSeed, default DefaultSeed), so the same seed gives
// the same data: 1,200 workspaces (WithWorkspaceCount) with ids 1..n, names
// such as "Green Harbor BV" from small word lists (names repeat), all six types
// (about 40% active; the first six workspaces take one type each), a country
// code from 40 countries or null (about 5%), a logo for about 70%, member
// counts, MFA flags and creation times from 2019 on, rendered with
// microseconds as Django REST framework does.
//
// Countries are every ISO 3166-1 entry of Debian's iso-codes data
// (data/iso_3166-1.json): name, alpha-2, alpha-3, numeric, official name (null
// when the data has none) and flag.
//
// # License of the embedded data
//
// This package's code is under the SDK's Apache License 2.0, but the country
// data it embeds is under the LGPL-2.1-or-later (data/COPYING). Tests that
// import this package need not do anything about it. A binary you distribute
// that links this package carries that data, and the LGPL's conditions apply
// to it: data/README.md says what they are. The SDK's other packages never
// import this one, so programs that only call the API do not contain the data.
//
// # Operations answered
//
//   - GET accounts/countries: a bare JSON array; search (name), name,
//     alpha_2, alpha_3, numeric; sliced by limit/offset when given (limit
//     default: every country left), else every country.
//   - GET accounts/countries/{alpha-2}: one country, or 404.
//   - GET and PATCH accounts/user-config: config (active_workspace_id, role,
//     stakeholder_agreement_signed), available_actions
//     ("sign_stakeholder_agreement" while the active workspace is a stakeholder
//     one and the agreement is unsigned; "switch_workspace" with more than one
//     membership) and company_type (the active workspace's type). PATCH takes
//     sign_stakeholder_agreement.
//   - GET accounts/workspaces: the user's workspaces in a
//     {count, next, previous, results} envelope; limit (default 100,
//     WithPageSize) and offset (past the end: an empty
//     page); absolute next/previous links built from the request's host;
//     every django-filter lookup of the API
//     (name, name__icontains, name__istartswith, name__iendswith, type,
//     type__in, type__exclude, country, country__icontains,
//     country__istartswith, country__iendswith, country__in; case-insensitive
//     lookups ignore case, __in takes one comma-separated value whose empty
//     items are accepted and match nothing, as django-filter's, so
//     "type__in=active," is "type__in=active"; empty values are ignored, an
//     unknown type is 400), search (name) and
//     ordering (id, name, type, country, member_count, created_at, updated_at;
//     "-" for descending; unknown fields ignored; ties by id; a null country
//     sorts last ascending, as in PostgreSQL).
//   - GET accounts/users/me/workspaces/: {"workspaces": [...]} without count
//     or links; sliced by limit/offset when either is given (limit default
//     100, WithPageSize), else every membership.
//   - POST accounts/users/me/switch-workspace/: {"company_id": n} changes the
//     user's active workspace; 400 with a field error when it is missing, not
//     an integer, or not one of the user's workspaces.
//   - GET and POST accounts/organizations/, and GET, PUT, PATCH, DELETE
//     accounts/organizations/{uuid}/: DefaultOrganizationCount seeded
//     organizations with UUIDs; the list pages by page/page_size (default
//     100) in an envelope with absolute links, a page past the end is 404
//     "Invalid page."; filters id, uuid, name, slug, search (name or slug).
//     Name and slug are validated like the API's serializer (1 to 200
//     characters, slug ^[-a-zA-Z0-9_]+$, slug unique). Only users
//     whose current auth group is OWNER or ADMIN may create, change or delete
//     (the member gets 403); a user update that changes the group changes
//     this, and the role user-config reports, at once.
//   - POST accounts/organizations/{uuid}/increment/: {"usage": n} adds n
//     (default 1) to the usage and answers {limit, usage, remaining,
//     overriden}; past the limit (DefaultUsageLimit) it answers 400 on
//     "usage", unless the organization's limit is overridden (every tenth
//     seeded organization). An increment that would take the usage beyond
//     math.MaxInt/2 either way is 400 on "usage" too, never a wrap-around.
//   - Users (WithUserCount, default DefaultUserCount, plus the three token
//     users with ids 1 to 3; Users, UsersOfWorkspace, TokenUser): every
//     generated user belongs to workspace 1 and one other; two share
//     SharedEmail. Auth groups GroupOwner, GroupAdmin and GroupMember; only
//     OWNER and ADMIN hold view_user.
//   - GET accounts/users/: the users of the caller's active workspace (403
//     without view_user); search (first name, last name or email). With page
//     or page_size, an envelope of {id, uuid, email, first_name, last_name,
//     groups, is_active} (seed 002); otherwise a bare array of full profiles
//     (seed 001), sliced by limit/offset when given.
//   - GET accounts/users/me/ and the deprecated accounts/user/: the caller's
//     profile with company, user_company, auth_group and MFA flags.
//   - POST accounts/users/ and GET, PUT, PATCH, DELETE accounts/users/{uuid}/:
//     users of the caller's active workspace, validated like the serializer
//     (email up to 254 characters and valid, names up to 150, groups existing,
//     is_active a boolean); writes need add_user, change_user or delete_user
//     (the member gets 403); the token users cannot be deleted.
//   - POST accounts/invitations/ and GET accounts/invitations/{id}/ (email
//     invitations, EmailInvitations): seed 001's rules: owners cannot be
//     invited (400 on auth_group), only owners and admins may invite with
//     GroupAdmin (403), a member of the workspace or an address with a
//     pending invitation is refused (400 on email). The status renders
//     auth_group_id, is_active and is_mfa_enabled as strings, as the seed
//     documents them.
//   - GET and POST accounts/invite/, and GET, POST (resend), DELETE (revoke)
//     accounts/invite/{uuid}/ (organization invitations, Invitations): role
//     is one of WithInvitationRoles (default DefaultInvitationRoles: MEMBER,
//     ADMIN, OWNER, the first being the default; the fake's choice, since the
//     API's values are deployment-defined), anything else a 400 as DRF's
//     ChoiceField answers ("\"X\" is not a valid choice."); the same rules on
//     OWNER and ADMIN as email invitations, one pending invitation per
//     identifier, validity InvitationValidity; listing needs view_invitation.
//   - GET accounts/analysts/ (analysts with undocumented extra members, search
//     (first name, last name or email), page/page_size) and GET/PATCH
//     accounts/analysts/current/ (consent_given).
//   - GET accounts/groups/: the three auth groups with their permissions,
//     paged by page.
//   - POST accounts/login_url/: 400 for an invalid email, ManualEntryParams
//     for SharedEmail, otherwise login_hint and account_identifier params.
//   - GET accounts/portal/: 302 to PortalURL for the owner and the admin, 200
//     without a body for the member.
//
// Search works like Django REST framework's SearchFilter in every list that
// takes it: the parameter is split into terms on white space and commas (so
// surrounding or repeated separators change nothing, and a search of
// separators only is no search), and an item matches when every term is
// contained, ignoring case, in at least one of the list's search fields (the
// ones named above): "search=harbor green" finds "Evergreen Harbor AB".
//
// # Page sizes
//
// Every list caps the size a request asks for (limit, or page_size) at
// WithMaxPageSize (default DefaultMaxPageSize, 1,000), silently, as Django
// REST framework's max_limit and max_page_size do: ?limit=5000 is served
// 1,000 items with a 200, in the envelopes of both paging styles and in the
// bare arrays alike. A limit/offset envelope's next link carries the limit
// served; a page/page_size envelope's carries the page_size asked, as DRF
// builds them. The size served when the request asks for none (WithPageSize)
// is not capped, as in DRF. A client that reads "shorter than asked" as the
// end of a bare-array list stops early against such a server; this one lets a
// test see it happen (WithMaxPageSize(50), say).
//
// Links are absolute URLs built from the address the request came to, as
// Django builds them. WithLinkAddress makes them name another address, as a
// Django server behind a proxy writes them when it does not know how it is
// reached (an internal host, http where the proxy ends TLS, no "/api/"
// prefix).
//
// # Fault injection
//
// Off by default; set per server with WithFaults or SetFaults. A share of
// requests (Faults.Rate) fails in one of the ways a real deployment behind a
// reverse proxy or an API gateway fails (the Fault constants document each):
//
//   - in place of the operation, which then does nothing: Django's HTML 500
//     page (Fault500), a proxy's HTML 502 or 504 page (Fault502, Fault504), an
//     API gateway's application/problem+json 502 (FaultGatewayProblem), DRF's
//     503 with or without Retry-After (Fault503, Fault503RetryAfter), DRF's 429
//     (Fault429), or a connection dropped before the request is read
//     (FaultDropBeforeRead);
//   - after the operation, which is performed (an object is created or
//     changed) and then its answer lost: replaced by a proxy's 502 or 504 page
//     (Fault502AfterActing, Fault504AfterActing), the connection dropped
//     without an answer (FaultDropAfterRead), or cut halfway through the body
//     (FaultTruncate, with its length declared; FaultTruncateAtClose, without,
//     so that the cut arrives as a clean end). Fault.ActsFirst tells the
//     phases apart and
//     AfterActingFaults lists these kinds.
//
// Faults.Kinds narrows the kinds (nil draws from AllFaults, every kind, 500
// included), Faults.Only the requests, Faults.Latency delays every request.
// Which request fails, and how, is decided by a hash of Faults.Seed, the
// request (method, URI, body) and how many times that same request was seen,
// so a failing run replays exactly, even with concurrent requests.
// FaultCounts reports what was injected: by kind, how many after acting
// (AfterActing), and how many writes the server performed whose answer was
// lost (LostWrites).
//
//	// one request in five fails, in any way
//	srv := accountstest.NewServer(accountstest.WithFaults(accountstest.Faults{Rate: 0.2, Seed: 7}))
//	// one answer in five is lost after the server acted
//	srv.SetFaults(accountstest.Faults{Rate: 0.2, Seed: 7, Kinds: accountstest.AfterActingFaults()})
//
// # Django REST framework behaviour
//
// Errors use DRF's shapes: {"detail": "..."} for 401, 403, 404, 405 (with an Allow
// header), 413 and 415; a field map for 400. A body that is not
// application/json is 415, malformed JSON is 400, a body over MaxBody is 413;
// detail routes (PUT and PATCH of an organization or a user, an increment)
// look the object up after the permission check and before reading the body,
// as DRF's get_object() precedes request.data, so an unknown identifier is
// 404 whatever the body ({"detail": "No Organization matches the given
// query."}, as DRF renders get_object_or_404's Http404). A path no view
// serves is 404 with Django's HTML page (text/html, "<h1>Not Found</h1><p>The
// requested resource was not found on this server.</p>"), as Django answers
// with DEBUG=False. Routing is on the escaped path with exact trailing slashes, so an
// identifier such as "%2E%2E" is looked up as "..", never resolved. A panic while answering (a bug of this package,
// or of a Faults.Only function) is logged and answered with Django's 500 page
// (text/html, "<h1>Server Error (500)</h1>"), as Django answers an unhandled
// exception with DEBUG=False, and the server goes on answering.
//
// String fields of request bodies (organization name and slug, user email and
// names, the invitations' email and invitee_identifier, login_url's email)
// are read like DRF's CharField and EmailField with trim_whitespace: a JSON
// number is taken as its text (123 as "123"), a boolean, object or array is
// "Not a valid string.", and surrounding white space is trimmed before the
// blank check, the length limit and the email check, so "  Acme  " is stored
// as "Acme". A null for a required field is "This field may not be null.",
// an absent one "This field is required."; a null for an optional field that
// takes none (is_active, groups, consent_given, sign_stakeholder_agreement,
// usage) is "This field may not be null." too.
//
// The server records every request (Requests) and exposes its data
// (Workspaces, MembershipsOf, ActiveWorkspace, Countries, Organizations,
// Users, UsersOfWorkspace, TokenUser, EmailInvitations, Invitations) so that
// tests can compute expected answers. It is safe for concurrent use.
package accountstest
