package accounts

import "github.com/coolset-go/sdk/paging"

// LimitOffset pages a list by limit and offset: Limit *int, the items per
// page, and Offset *int, the index of the first item. It is package paging's
// LimitOffset, embedded in the options of the lists paged that way
// (countries, workspaces, memberships, users):
//
//	opts := &workspaces.ListOptions{LimitOffset: accounts.LimitOffset{Limit: accounts.Ptr(50)}}
type LimitOffset = paging.LimitOffset

// PageNumber pages a list by page number and page size: Page *int, from 1,
// and PageSize *int, the items per page. It is package paging's PageNumber,
// embedded in the options of the lists paged that way (analysts,
// invitations, organizations, users):
//
//	opts := &organizations.ListOptions{PageNumber: accounts.PageNumber{PageSize: accounts.Ptr(50)}}
type PageNumber = paging.PageNumber

// PageOnly pages a list that takes a page number but no page size (groups):
// Page *int, from 1. It is package paging's PageOnly:
//
//	opts := &accounts.GroupListOptions{PageOnly: accounts.PageOnly{Page: accounts.Ptr(2)}}
type PageOnly = paging.PageOnly
