package paging_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/coolset-go/sdk/paging"
)

func ptr(n int) *int { return &n }

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string // a parameter the error must name; "" for no error
	}{
		{"nil limit/offset", (*paging.LimitOffset)(nil).Validate(), ""},
		{"zero limit/offset", (&paging.LimitOffset{Limit: ptr(0), Offset: ptr(0)}).Validate(), ""},
		{"negative limit", (&paging.LimitOffset{Limit: ptr(-1)}).Validate(), "limit"},
		{"negative offset", (&paging.LimitOffset{Offset: ptr(-1)}).Validate(), "offset"},
		{"nil page number", (*paging.PageNumber)(nil).Validate(), ""},
		{"page 1", (&paging.PageNumber{Page: ptr(1), PageSize: ptr(1)}).Validate(), ""},
		{"page 0", (&paging.PageNumber{Page: ptr(0)}).Validate(), "page"},
		{"page size 0", (&paging.PageNumber{PageSize: ptr(0)}).Validate(), "page_size"},
		{"nil page only", (*paging.PageOnly)(nil).Validate(), ""},
		{"page only 0", (&paging.PageOnly{Page: ptr(0)}).Validate(), "page"},
	}
	for _, tc := range cases {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("%s: %v", tc.name, tc.err)
		case tc.want != "" && (tc.err == nil || !strings.Contains(tc.err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want one naming %q", tc.name, tc.err, tc.want)
		}
	}
	// Both parameters refused at once are both named.
	err := (&paging.LimitOffset{Limit: ptr(-1), Offset: ptr(-2)}).Validate()
	if err == nil || !strings.Contains(err.Error(), "limit") || !strings.Contains(err.Error(), "offset") {
		t.Errorf("err = %v", err)
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 2 {
		t.Errorf("err = %v, want two joined errors", err)
	}
}

func TestParams(t *testing.T) {
	l, o := paging.LimitOffset{Limit: ptr(3), Offset: ptr(4)}.LimitOffsetParams()
	if *l != 3 || *o != 4 {
		t.Errorf("LimitOffsetParams = %d, %d", *l, *o)
	}
	p, s := paging.PageNumber{Page: ptr(2), PageSize: ptr(5)}.PageParams()
	if *p != 2 || *s != 5 {
		t.Errorf("PageNumber.PageParams = %d, %d", *p, *s)
	}
	if p, s := (paging.PageOnly{Page: ptr(7)}).PageParams(); *p != 7 || s != nil {
		t.Errorf("PageOnly.PageParams = %v, %v", p, s)
	}
}
