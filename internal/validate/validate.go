// Package validate holds the checks the SDK runs on input before sending it.
// Each returns an *apierror.InputError naming the field as the API spells it,
// or nil.
package validate

import (
	"strings"

	"github.com/coolset-go/sdk/internal/apierror"
)

// NonNegative refuses a negative number.
func NonNegative(field string, v *int) error {
	if v != nil && *v < 0 {
		return apierror.Invalid(field, "must not be negative, got %d", *v)
	}
	return nil
}

// Positive refuses zero and negative numbers.
func Positive(field string, v int) error {
	if v <= 0 {
		return apierror.Invalid(field, "must be a positive integer, got %d", v)
	}
	return nil
}

// NotEmpty refuses an empty string.
func NotEmpty(field, v string) error {
	if v == "" {
		return apierror.Invalid(field, "must not be empty")
	}
	return nil
}

// ListItems checks the elements of a comma-joined list parameter (a Django
// "__in" lookup): none may be empty or contain a comma, which would change the
// list the server reads.
func ListItems[S ~string](field string, items []S) error {
	for i, it := range items {
		switch {
		case it == "":
			return apierror.Invalid(field, "item %d is empty", i)
		case strings.Contains(string(it), ","):
			return apierror.Invalid(field, "item %d contains a comma, which would split it in two", i)
		}
	}
	return nil
}
