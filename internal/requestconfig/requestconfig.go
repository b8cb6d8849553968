// Package requestconfig holds the per-request options every SDK method takes.
//
// The accounts package re-exports Option as accounts.RequestOption together with
// documented constructors; resource packages accept it as a trailing variadic
// argument. Options are applied in order, so a later option wins.
//
// Config is reachable from the public API only as the parameter type of
// accounts.RequestOption (func(*Config)). A user cannot name it (the package is
// internal), so cannot write an option of their own nor read or set its
// fields: every field, flags such as NoRecovery and OnResponse included, is
// set only by accounts' documented option constructors, and `go doc accounts`
// shows those constructors, not this type. That is why its fields may carry
// internal flags.
package requestconfig

import (
	"net/http"
	"time"
)

// Config is the effective configuration of one call.
type Config struct {
	// Header holds extra headers to send; nil when there are none.
	Header http.Header
	// MaxRetries overrides the client's retry limit when non-nil.
	MaxRetries *int
	// Timeout bounds the whole call, retries and waits included, when positive.
	Timeout time.Duration
	// Prefetch is the caller's choice of how many pages an All iterator may
	// have in flight ahead of the page being read, on lists whose envelope
	// states the count (see pagination.All). It holds one of three things,
	// each with its own name: PrefetchDefault (the zero value: no choice, the
	// SDK's default applies), PrefetchOff (fetch one page at a time), or a
	// positive number of pages. accounts.WithPrefetch(n) stores PrefetchOff
	// for n of 0 or less. Read it with Ahead.
	Prefetch int
	// OnResponse, when set, receives the status and headers of the call's
	// successful answer (accounts.WithResponseInto).
	OnResponse func(status int, header http.Header)
	// NoRecovery turns off the recovery of a create whose answer was lost
	// (accounts.WithoutRecovery): the failure is returned as it is.
	NoRecovery bool
}

// The values of Config.Prefetch besides a positive number of pages.
const (
	// PrefetchDefault is Config.Prefetch when the caller did not choose:
	// the SDK's default applies.
	PrefetchDefault = 0
	// PrefetchOff is Config.Prefetch when the caller turned fetching ahead
	// off: pages are fetched one at a time.
	PrefetchOff = -1
)

// Ahead returns how many pages to fetch ahead: def when the caller did not
// choose, 0 when fetching ahead is off, the caller's number otherwise.
func (c Config) Ahead(def int) int {
	switch {
	case c.Prefetch == PrefetchDefault:
		return def
	case c.Prefetch < 0:
		return 0
	}
	return c.Prefetch
}

// Option changes the Config of one call.
type Option func(*Config)

// Apply builds the Config of a call from its options. Nil options are skipped.
func Apply(opts []Option) Config {
	if len(opts) == 0 {
		return Config{} // the common case, without moving a Config to the heap
	}
	var c Config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// NoResponse clears OnResponse. The SDK appends it to the caller's options on
// the requests it makes of its own accord (a lookup after a lost answer, a
// page fetched ahead, a probe of how a list pages), so that
// accounts.WithResponseInto receives only the answers the caller asked for.
func NoResponse(c *Config) { c.OnResponse = nil }

// Clone returns a copy of opts that later changes to the caller's slice cannot
// reach, for iterators that run after the call that created them returned.
func Clone(opts []Option) []Option {
	if len(opts) == 0 {
		return nil
	}
	return append([]Option(nil), opts...)
}
