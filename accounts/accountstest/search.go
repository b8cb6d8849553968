package accountstest

import "strings"

// searchTerms splits a search parameter the way Django REST framework's
// SearchFilter does: NUL characters dropped, commas read as white space, and
// the rest split on white space, so that surrounding and repeated separators
// give no empty terms. The terms are lowered for matching.
func searchTerms(param string) []string {
	param = strings.ReplaceAll(param, "\x00", "")
	param = strings.ReplaceAll(param, ",", " ")
	terms := strings.Fields(param)
	for i, t := range terms {
		terms[i] = strings.ToLower(t)
	}
	return terms
}

// searchMatch reports whether every term (from searchTerms) is contained,
// ignoring case, in at least one of fields, as SearchFilter's icontains
// lookups ANDed across terms and ORed across search fields. No terms match
// everything.
func searchMatch(terms []string, fields ...string) bool {
	for _, t := range terms {
		found := false
		for _, f := range fields {
			if strings.Contains(strings.ToLower(f), t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
