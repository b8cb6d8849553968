package core

import (
	"encoding/json"
	"errors"
	"io"
	"math"
)

// ErrResponseTooLarge is matched (errors.Is) by the error of a call whose
// successful answer is longer than Config.MaxResponseBytes.
var ErrResponseTooLarge = errors.New("the answer is larger than the SDK reads")

// BodyDecoder is implemented by results that decode themselves from the raw
// answer (the pagination engine's pages); others are decoded with encoding/json.
type BodyDecoder interface {
	DecodeBody(r io.Reader) error
}

// answerReader reads a successful answer's body up to a bound. It notes
// whether reading failed for a reason other than its end (a connection cut
// mid-answer, as opposed to a complete body that does not decode), and the
// body's first byte that is not JSON white space, so that a JSON null (which
// decodes into a value without error, leaving it zero) can be told from an
// object without reading the body twice.
//
// FirstByte peeks through it without a buffer of its own: the bytes it read
// ahead wait in head (backed by peek) and are served before the body's.
type answerReader struct {
	r        io.Reader
	left     int64 // bytes still allowed
	cut      bool
	tooLarge bool
	atEOF    bool
	first    byte
	head     []byte // read ahead by peekFirst, not yet served
	headErr  error  // the error that came with head, returned once it is served
	// peek and rest are small on purpose: the reader is reset for every
	// answer, and they only ever hold white space around the value or its
	// first bytes.
	peek [16]byte
	rest [16]byte // End's buffer for what follows the value
}

func (a *answerReader) Read(p []byte) (int, error) {
	if len(a.head) > 0 {
		n := copy(p, a.head)
		a.head = a.head[n:]
		if len(a.head) > 0 {
			return n, nil
		}
		err := a.headErr
		a.headErr = nil
		return n, err
	}
	return a.read(p)
}

// peekFirst reads up to the first byte that is not JSON white space and
// keeps it, and what came after it in the same read, for Read to serve.
func (a *answerReader) peekFirst() (byte, error) {
	for {
		n, err := a.read(a.peek[:])
		for i, c := range a.peek[:n] {
			if !space(c) {
				a.head, a.headErr = a.peek[i:n], err
				return c, nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
}

// read is Read without the bytes read ahead: the body's next bytes, within
// the bound, noted.
func (a *answerReader) read(p []byte) (int, error) {
	if a.left <= 0 {
		// One byte past the bound tells a body of exactly the bound from a
		// longer one.
		var one [1]byte
		if n, err := a.r.Read(one[:]); n == 0 {
			return 0, a.note(err)
		}
		a.tooLarge = true
		return 0, ErrResponseTooLarge
	}
	if int64(len(p)) > a.left {
		p = p[:a.left]
	}
	n, err := a.r.Read(p)
	a.left -= int64(n)
	for i := 0; a.first == 0 && i < n; i++ {
		if !space(p[i]) {
			a.first = p[i]
		}
	}
	return n, a.note(err)
}

func (a *answerReader) note(err error) error {
	switch {
	case err == io.EOF:
		a.atEOF = true
	case err != nil:
		a.cut = true
	}
	return err
}

// decode reads one JSON value from r into out. An empty body is an error: a
// caller that expects a value must not get a zero one silently.
func decode(r io.Reader, out any) error {
	if d, ok := out.(BodyDecoder); ok {
		return d.DecodeBody(r)
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	return End(dec, r)
}

// errTrailing is End's report of text after the JSON value.
var errTrailing = errors.New("the answer has data after its JSON value")

// End reports an error when anything but white space follows the JSON value
// dec has decoded from r: an answer is one value, and more text after it
// means the body is not what the SDK thinks it is. It reads r to its end.
func End(dec *json.Decoder, r io.Reader) error {
	var buf []byte
	if a, ok := r.(*answerReader); ok {
		buf = a.rest[:]
	} else {
		buf = make([]byte, 256)
	}
	for rest := dec.Buffered(); ; {
		n, err := rest.Read(buf)
		if !blank(buf[:n]) {
			return errTrailing
		}
		if err != nil {
			break
		}
	}
	for {
		n, err := r.Read(buf)
		if !blank(buf[:n]) {
			return errTrailing
		}
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, ErrResponseTooLarge):
			return err
		case err != nil:
			// The connection failed after a complete value: the value
			// stands (for a POST, reporting a failure would invite a retry
			// of an act done).
			return nil
		}
	}
}

// blank reports whether b holds only JSON white space.
func blank(b []byte) bool {
	for _, c := range b {
		if !space(c) {
			return false
		}
	}
	return true
}

// space reports whether c is JSON white space.
func space(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// FirstByte returns the first byte of r that is not JSON white space, and a
// reader that still yields it, so that a decoder can choose a shape. The body
// handed to a BodyDecoder is read ahead in place; another reader is read
// ahead the same way, through an answerReader without a bound.
func FirstByte(r io.Reader) (byte, io.Reader, error) {
	a, ok := r.(*answerReader)
	if !ok {
		a = &answerReader{r: r, left: math.MaxInt64}
	}
	b, err := a.peekFirst()
	return b, a, err
}

// closeBody drains a little of an answer, so its connection can be reused, and
// closes it.
func closeBody(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 4<<10))
	_ = b.Close()
}
