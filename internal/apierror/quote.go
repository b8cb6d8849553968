package apierror

import "strconv"

// MaxQuoted is the most characters of a value an error message quotes.
const MaxQuoted = 32

// Quote returns a value for an error message: a Go string literal of at most
// its first MaxQuoted characters, with every control, invisible or
// direction-changing character and every byte that is not UTF-8 escaped, so
// the message stays one readable line whatever the value holds. A longer
// value is cut and its length in bytes is said after the literal:
// "aaaa…"... (100000 bytes). Every error that quotes a value the caller gave
// quotes it with Quote.
func Quote(v string) string {
	n := 0
	for i := range v {
		if n == MaxQuoted {
			return strconv.Quote(v[:i]) + "... (" + strconv.Itoa(len(v)) + " bytes)"
		}
		n++
	}
	return strconv.Quote(v)
}
