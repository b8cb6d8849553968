package core

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// readers gives body the ways a connection may hand it over: all at once,
// a byte at a time, with the end reported along with the last data, and in
// pieces that end in a half-read.
func readers(body string) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"whole":        func() io.Reader { return strings.NewReader(body) },
		"byte by byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) },
		"EOF with data": func() io.Reader {
			return iotest.DataErrReader(strings.NewReader(body))
		},
		"half reads": func() io.Reader { return iotest.HalfReader(strings.NewReader(body)) },
	}
}

// TestFirstByteReadsAheadInPlace: FirstByte on the body a BodyDecoder gets
// finds the first byte that is not white space, however far in it is and
// however the body arrives, and the reader it returns still yields the whole
// value: decoding it and End see exactly the body.
func TestFirstByteReadsAheadInPlace(t *testing.T) {
	cases := []struct {
		name, body string
		first      byte
		want       []int
	}{
		{"array", `[1,2,3]`, '[', []int{1, 2, 3}},
		{"white space first", " \n\t" + `[4]` + "\n", '[', []int{4}},
		{"more white space than the read-ahead", strings.Repeat(" ", 200) + `[5,6]`, '[', []int{5, 6}},
		{"white space across the read-ahead", strings.Repeat(" ", 63) + `[7]`, '[', []int{7}},
		{"value longer than the read-ahead", `[` + strings.Repeat("1,", 100) + `2]`, '[', nil},
	}
	for _, tc := range cases {
		for how, r := range readers(tc.body) {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				a := &answerReader{r: r(), left: 1 << 20}
				first, rest, err := FirstByte(a)
				if err != nil || first != tc.first {
					t.Fatalf("FirstByte = %q, %v; want %q", first, err, tc.first)
				}
				if rest != io.Reader(a) {
					t.Fatalf("FirstByte wrapped the answer in %T; it must read ahead in place", rest)
				}
				var got []int
				dec := json.NewDecoder(rest)
				if err := dec.Decode(&got); err != nil {
					t.Fatalf("decode: %v", err)
				}
				if err := End(dec, rest); err != nil {
					t.Fatalf("End: %v", err)
				}
				if tc.want != nil && !slices.Equal(got, tc.want) {
					t.Fatalf("decoded %v, want %v", got, tc.want)
				}
				if tc.want == nil && len(got) != 101 {
					t.Fatalf("decoded %d numbers, want 101", len(got))
				}
				if !a.atEOF || a.cut || a.first != tc.first {
					t.Fatalf("atEOF %v, cut %v, first %q: the reader's notes are wrong", a.atEOF, a.cut, a.first)
				}
			})
		}
	}
}

// TestFirstByteOfAnotherReader: a reader other than the SDK's answer is read
// ahead the same way, and the reader returned yields the whole value.
func TestFirstByteOfAnotherReader(t *testing.T) {
	for how, r := range readers(strings.Repeat(" ", 40) + `[8,9]` + "\n") {
		first, rest, err := FirstByte(r())
		if err != nil || first != '[' {
			t.Fatalf("%s: FirstByte = %q, %v", how, first, err)
		}
		var got []int
		dec := json.NewDecoder(rest)
		if err := dec.Decode(&got); err != nil || !slices.Equal(got, []int{8, 9}) {
			t.Fatalf("%s: decoded %v, %v", how, got, err)
		}
		if err := End(dec, rest); err != nil {
			t.Fatalf("%s: End: %v", how, err)
		}
	}
	if _, _, err := FirstByte(strings.NewReader(" \n")); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("white space only: err = %v", err)
	}
}

// TestFirstByteFailures: a body of white space only, a cut connection and a
// body past the bound each fail, and the reader notes why.
func TestFirstByteFailures(t *testing.T) {
	cut := errors.New("connection reset")
	for how, r := range readers("  \n ") {
		a := &answerReader{r: r(), left: 1 << 20}
		if _, _, err := FirstByte(a); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("white space only, %s: err = %v, want io.ErrUnexpectedEOF", how, err)
		}
	}

	a := &answerReader{r: io.MultiReader(strings.NewReader("   "), iotest.ErrReader(cut)), left: 1 << 20}
	if _, _, err := FirstByte(a); !errors.Is(err, cut) || !a.cut {
		t.Errorf("cut before the value: err = %v, cut = %v", err, a.cut)
	}

	// The value starts, then the connection fails: the byte is found, and
	// the failure reaches the decoder, not a clean end.
	a = &answerReader{r: iotest.DataErrReader(io.MultiReader(strings.NewReader(`[1,`), iotest.ErrReader(cut))), left: 1 << 20}
	first, rest, err := FirstByte(a)
	if err != nil || first != '[' {
		t.Fatalf("FirstByte = %q, %v", first, err)
	}
	var v []int
	if err := json.NewDecoder(rest).Decode(&v); !errors.Is(err, cut) || !a.cut || a.atEOF {
		t.Errorf("decode after a cut: err = %v, cut = %v, atEOF = %v", err, a.cut, a.atEOF)
	}

	// The bound holds for what is read ahead too.
	a = &answerReader{r: strings.NewReader(`[1,2,3,4]`), left: 4}
	if first, rest, err = FirstByte(a); err != nil || first != '[' {
		t.Fatalf("FirstByte under a bound = %q, %v", first, err)
	}
	if err := json.NewDecoder(rest).Decode(&v); !errors.Is(err, ErrResponseTooLarge) || !a.tooLarge {
		t.Errorf("a body past the bound: err = %v, tooLarge = %v", err, a.tooLarge)
	}
}
