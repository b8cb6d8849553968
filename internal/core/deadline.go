package core

import (
	"context"
	"io"
	"slices"
	"sync"
	"time"
)

// The per-attempt deadline (see transport) is a context of the SDK's own
// rather than context.WithTimeoutCause. The standard one costs nine
// allocations per attempt, most of them in parts that can be reused: a timer,
// a Done channel, and the map in which a *context.cancelCtx parent records
// net/http's own child context. Here those parts live in a pooled
// deadlineState, and each attempt allocates only its small attempt value,
// which is both the request's context and the response's body.
//
// An attempt implements AfterFunc, so net/http's child context (and
// context.AfterFunc) registers on it with a callback instead of a goroutine
// or a map.
//
// Reuse is safe because nothing is ever looked up through a deadlineState
// that has gone back to the pool: every method of an attempt first compares
// its generation with the state's, which is bumped when the state is pooled,
// and a stale attempt answers as a cancelled context (Done closed, Err
// context.Canceled, Value from its own parent, which the attempt keeps). A
// state is pooled only after a clean finish: the body closed or the round
// trip failed, the timer and the parent's registration stopped before they
// fired, and no AfterFunc registration left. Otherwise it is dropped, its
// Done channel closed as a cancelled context's would be, and the pool makes
// a fresh one with an open channel.
//
// Each attempt's Done channel is its own: it is closed when the attempt ends,
// however it ends (timed out, cancelled, or its body closed), so code that
// waits on it (a caller's transport, a tracing wrapper) is always woken, and
// the next attempt on the state gets a new channel.

// canceledCtx is cancelled with context.Canceled as its cause. An attempt that
// finish ended answers context.Cause's lookup through it: otherwise the lookup
// reaches the parent's cancelCtx, whose cause is nil while the parent runs, and
// Go 1.24 and 1.25's context.Cause returns that nil without looking at Err.
var canceledCtx = func() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(context.Canceled)
	return ctx
}()

// deadlinePool holds deadlineStates that finished cleanly.
var deadlinePool = sync.Pool{New: func() any {
	s := &deadlineState{done: make(chan struct{})}
	s.onTimerFn, s.onParentFn = s.onTimer, s.onParent
	return s
}}

// deadlineState is the reusable part of an attempt's deadline. Its fields are
// guarded by mu.
type deadlineState struct {
	mu sync.Mutex
	// gen is the current attempt's generation; it is bumped when the state
	// goes back to the pool.
	gen uint64
	// done is closed when the attempt is cancelled (err is then set); a
	// state whose done was closed is never pooled.
	done chan struct{}
	// err is nil while the attempt runs, then context.DeadlineExceeded (our
	// timer), the parent's Err, or context.Canceled (finished with
	// registrations left).
	err error
	// timedOut is whether our timer, not the parent, ended the attempt.
	timedOut bool
	// finished is set by finish; a timer or parent callback after it does
	// nothing.
	finished bool
	// cause is the attempt's *AttemptTimeoutError; causeCtx is a cancelled
	// context whose cause it is, made when the timer fires, through which
	// context.Cause finds it (see attempt.Value).
	cause    error
	causeCtx context.Context
	// parent is the attempt's parent context, and stopParent unregisters
	// onParent from it (nil when the parent is never cancelled).
	parent     context.Context
	stopParent func() bool
	// timer runs onTimerFn at the deadline; it is made on first use and then
	// reset for every attempt.
	timer *time.Timer
	// regs are the AfterFunc registrations still waiting; nextID numbers them.
	regs   []registration
	nextID uint64
	// onTimerFn and onParentFn are the state's callbacks, bound once so that
	// registering them allocates nothing.
	onTimerFn, onParentFn func()
}

// registration is one AfterFunc callback waiting for the attempt to end.
type registration struct {
	id uint64
	f  func()
}

// attempt is one attempt's context (its deadline, the earlier of its
// parent's and its own) and, once the answer arrives, the answer's body,
// which ends the attempt when closed and reports a read cut by the deadline
// as the attempt's *AttemptTimeoutError. It is made per attempt and never
// reused; its mutable state is in s, valid while s.gen == gen.
type attempt struct {
	parent   context.Context
	done     chan struct{} // the state's done channel of this attempt: closed when it ends, however it ends
	deadline time.Time
	cause    error // the *AttemptTimeoutError of this attempt's transport
	s        *deadlineState
	gen      uint64
	body     io.ReadCloser // the answer's body, once there is one
}

// newAttempt starts an attempt under parent that times out after timeout
// with cause.
func newAttempt(parent context.Context, timeout time.Duration, cause error) *attempt {
	s := deadlinePool.Get().(*deadlineState)
	a := &attempt{parent: parent, deadline: time.Now().Add(timeout), cause: cause, s: s}
	if dl, ok := parent.Deadline(); ok && dl.Before(a.deadline) {
		a.deadline = dl
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a.gen, a.done = s.gen, s.done
	s.parent, s.cause = parent, cause
	if s.timer == nil {
		s.timer = time.AfterFunc(timeout, s.onTimerFn)
	} else {
		s.timer.Reset(timeout)
	}
	if parent.Done() != nil {
		s.stopParent = context.AfterFunc(parent, s.onParentFn)
		// A parent already done makes the attempt done before it starts,
		// not when onParent gets to run in its own goroutine (it will then
		// find s.err set and do nothing).
		if err := parent.Err(); err != nil {
			s.err = err
			close(s.done)
		}
	}
	return a
}

// onTimer ends the attempt at its deadline with context.DeadlineExceeded
// and the attempt's cause.
func (s *deadlineState) onTimer() {
	s.mu.Lock()
	if s.err != nil || s.finished {
		s.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(s.cause)
	s.causeCtx, s.timedOut = ctx, true
	s.cancelLocked(context.DeadlineExceeded)
}

// onParent ends the attempt when its parent is cancelled, with the parent's
// error (context.Cause then finds the parent's cause through Value).
func (s *deadlineState) onParent() {
	s.mu.Lock()
	if s.err != nil || s.finished {
		s.mu.Unlock()
		return
	}
	s.cancelLocked(s.parent.Err())
}

// cancelLocked cancels the attempt with err: it closes done and starts each
// waiting AfterFunc callback in its own goroutine. It is called with mu held
// and unlocks it.
func (s *deadlineState) cancelLocked(err error) {
	s.err = err
	close(s.done)
	regs := s.regs
	s.regs = nil
	s.mu.Unlock()
	for _, r := range regs {
		go r.f()
	}
}

// finish ends the attempt, once the body is closed or the round trip
// failed; later calls do nothing. It puts the state back in the pool when it
// is certain that nothing can still use it for this attempt; otherwise it
// cancels the attempt as context.WithTimeout's cancel function would, and
// drops the state.
func (a *attempt) finish() {
	s := a.s
	s.mu.Lock()
	if s.gen != a.gen || s.finished {
		s.mu.Unlock()
		return
	}
	s.finished = true
	stopParent := s.stopParent
	s.stopParent = nil
	timerStopped := s.timer.Stop()
	s.mu.Unlock()
	// The parent's stop takes the parent's lock; call it without ours.
	parentStopped := stopParent == nil || stopParent()

	s.mu.Lock()
	if s.err != nil || !timerStopped || !parentStopped || len(s.regs) > 0 {
		if s.err == nil {
			s.causeCtx = canceledCtx
			s.cancelLocked(context.Canceled)
			return
		}
		s.mu.Unlock()
		return
	}
	s.gen++ // every view of this attempt now sees it as over
	s.finished, s.timedOut = false, false
	s.parent, s.cause, s.causeCtx = nil, nil, nil
	// The attempt is over: its Done channel, which anyone may hold, is
	// closed as a cancelled context's is, and the next attempt gets a new
	// one (the one allocation a clean attempt costs here).
	close(s.done)
	s.done = make(chan struct{})
	s.mu.Unlock()
	deadlinePool.Put(s)
}

// timedOut reports whether the attempt's own deadline ended it.
func (a *attempt) timedOut() bool {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen == a.gen && s.timedOut
}

// Deadline is the earlier of the parent's deadline and the attempt's own.
func (a *attempt) Deadline() (time.Time, bool) { return a.deadline, true }

// Done is closed when the attempt times out, its parent is cancelled, or it
// is over (its body closed): always the same channel for one attempt.
func (a *attempt) Done() <-chan struct{} { return a.done }

// Err is nil while the attempt runs, context.DeadlineExceeded when it timed
// out, the parent's error when the parent was cancelled, and
// context.Canceled once the attempt is over.
func (a *attempt) Err() error {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != a.gen {
		return context.Canceled
	}
	return s.err
}

// Value is the parent's, except that once the attempt timed out
// context.Cause finds the attempt's *AttemptTimeoutError, and once finish
// ended it context.Canceled: the context package looks the cause up as a
// value, which a cancelled context of its own answers.
func (a *attempt) Value(key any) any {
	s := a.s
	s.mu.Lock()
	cc := canceledCtx // a state back in the pool: the attempt ended in finish
	if s.gen == a.gen {
		cc = s.causeCtx
	}
	s.mu.Unlock()
	if cc != nil {
		if v := cc.Value(key); v != nil {
			return v
		}
	}
	return a.parent.Value(key)
}

// AfterFunc calls f in its own goroutine once the attempt is cancelled, at
// once if it already is (context.AfterFunc and net/http use it instead of a
// goroutine of their own). The returned stop unregisters f and reports
// whether it did so before f was started.
func (a *attempt) AfterFunc(f func()) (stop func() bool) {
	s := a.s
	s.mu.Lock()
	if s.gen != a.gen || s.err != nil {
		s.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	s.nextID++
	id := s.nextID
	s.regs = append(s.regs, registration{id: id, f: f})
	s.mu.Unlock()
	return func() bool { return a.stopAfterFunc(id) }
}

// stopAfterFunc unregisters the AfterFunc callback numbered id, reporting
// whether it was still waiting.
func (a *attempt) stopAfterFunc(id uint64) bool {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != a.gen {
		return false
	}
	for i, r := range s.regs {
		if r.id == id {
			s.regs = slices.Delete(s.regs, i, i+1) // clears the freed slot
			return true
		}
	}
	return false
}

// String names the context as the context package names its own.
func (a *attempt) String() string { return "core.attemptDeadline" }

// Read reads the answer's body, reporting a read cut by the attempt's
// deadline as the attempt's *AttemptTimeoutError. An end of the body that
// comes once the deadline has passed is reported so too: it may be the
// server's answer to this side giving up (net/http finishes a chunked answer
// cleanly when its handler returns on the cancelled request), not the
// answer's own end. A complete JSON value needs no read after its last byte,
// so a value the server finished in time still decodes.
func (a *attempt) Read(p []byte) (int, error) {
	n, err := a.body.Read(p)
	if err == nil {
		return n, nil
	}
	select {
	case <-a.done: // ended: timed out, cancelled, or finished
	default:
		return n, err
	}
	if a.parent.Err() == nil && a.timedOut() {
		return n, a.cause
	}
	return n, err
}

// Close closes the answer's body and ends the attempt.
func (a *attempt) Close() error {
	err := a.body.Close()
	a.finish()
	return err
}
