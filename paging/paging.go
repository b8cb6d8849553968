// Package paging holds the paging parameters of the Accounts API's lists,
// declared once and embedded in every list's options struct (as go-github
// embeds its ListOptions):
//
//	opts := &workspaces.ListOptions{
//		Search:      "green",
//		LimitOffset: paging.LimitOffset{Limit: accounts.Ptr(50)},
//	}
//
// Package accounts re-exports the three types, so accounts.LimitOffset{...}
// works too. A list's All starts where the options say and walks to the end;
// its List fetches the one page they name.
package paging

import (
	"errors"

	"github.com/coolset-go/sdk/internal/validate"
)

// LimitOffset pages a list by limit and offset. Nil fields are not sent.
type LimitOffset struct {
	// Limit is the number of items per page. For List, nil lets the server
	// choose; All asks for pages of 1,000 when Limit is nil or 0, and the
	// server may serve fewer (a capped server's pages are followed as it
	// serves them).
	Limit *int `url:"limit,omitempty"`
	// Offset is the index of the first item to return, from 0.
	Offset *int `url:"offset,omitempty"`
}

// Validate refuses a negative limit or offset, naming the parameter.
func (p *LimitOffset) Validate() error {
	if p == nil {
		return nil
	}
	return errors.Join(validate.NonNegative("limit", p.Limit), validate.NonNegative("offset", p.Offset))
}

// LimitOffsetParams returns Limit and Offset; the SDK's list engine reads the
// options that embed a LimitOffset through it.
func (p LimitOffset) LimitOffsetParams() (limit, offset *int) { return p.Limit, p.Offset }

// PageNumber pages a list by page number and page size. Nil fields are not
// sent.
type PageNumber struct {
	// Page is the page number, from 1.
	Page *int `url:"page,omitempty"`
	// PageSize is the number of items per page. For List, nil lets the server
	// choose; All asks for pages of 1,000 when PageSize is nil, and the
	// server may serve fewer. A Page past the first given without a PageSize
	// names a page of the server's size, so All then asks for no size and
	// starts where List's page starts.
	PageSize *int `url:"page_size,omitempty"`
}

// Validate refuses a page or page size below 1, naming the parameter.
func (p *PageNumber) Validate() error {
	if p == nil {
		return nil
	}
	return errors.Join(validate.PositiveIfSet("page", p.Page), validate.PositiveIfSet("page_size", p.PageSize))
}

// PageParams returns Page and PageSize; the SDK's list engine reads the
// options that embed a PageNumber through it.
func (p PageNumber) PageParams() (page, pageSize *int) { return p.Page, p.PageSize }

// PageOnly pages a list that takes a page number but no page size: the
// server decides how many items a page holds. A nil Page is not sent.
type PageOnly struct {
	// Page is the page number, from 1.
	Page *int `url:"page,omitempty"`
}

// Validate refuses a page below 1.
func (p *PageOnly) Validate() error {
	if p == nil {
		return nil
	}
	return validate.PositiveIfSet("page", p.Page)
}

// PageParams returns Page and a nil page size; the SDK's list engine reads
// the options that embed a PageOnly through it.
func (p PageOnly) PageParams() (page, pageSize *int) { return p.Page, nil }
