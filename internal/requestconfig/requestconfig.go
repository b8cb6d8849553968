// Package requestconfig holds the per-request options every SDK method takes.
//
// The accounts package re-exports Option as accounts.RequestOption together with
// documented constructors; resource packages accept it as a trailing variadic
// argument. Options are applied in order, so a later option wins.
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
	// Prefetch is the number of pages an All iterator may have in flight
	// ahead of the page being read, on lists whose envelope states the count
	// (see pagination.All). 0 means the SDK's default, pagination.DefaultPrefetch
	// (10); a negative value turns fetching ahead off, so pages are fetched one
	// at a time. accounts.WithPrefetch stores 0 and below as -1.
	Prefetch int
	// OnResponse, when set, receives the status and headers of the call's
	// successful answer (accounts.WithResponseInto).
	OnResponse func(status int, header http.Header)
	// NoRecovery turns off the recovery of a create whose answer was lost
	// (accounts.WithoutRecovery): the failure is returned as it is.
	NoRecovery bool
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

// Clone returns a copy of opts that later changes to the caller's slice cannot
// reach, for iterators that run after the call that created them returned.
func Clone(opts []Option) []Option {
	if len(opts) == 0 {
		return nil
	}
	return append([]Option(nil), opts...)
}
