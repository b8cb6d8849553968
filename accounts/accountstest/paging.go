package accountstest

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// positiveInt reads a query parameter the way Django REST framework's
// paginators do: a positive integer (zero allowed unless strict), else def.
// Python's integers have no bound, so a positive number too large for an int
// reads as math.MaxInt rather than as invalid.
func positiveInt(q url.Values, key string, strict bool, def int) int {
	v, err := strconv.Atoi(q.Get(key))
	if errors.Is(err, strconv.ErrRange) && v > 0 {
		err = nil // Atoi answers math.MaxInt for it
	}
	if err != nil || v < 0 || (strict && v == 0) {
		return def
	}
	return v
}

// absoluteURL rebuilds the request's absolute URL with the query q, the way
// Django builds pagination links from the request's host, or from the address
// WithLinkAddress sets.
func (s *Server) absoluteURL(r *http.Request, q url.Values) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: q.Encode()}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	if a := s.cfg.linkAddress; a != nil {
		rest := strings.TrimPrefix(u.EscapedPath(), "/api/")
		u.Scheme, u.Host, u.RawPath = a.Scheme, a.Host, ""
		u.Path, _ = url.PathUnescape(a.EscapedPath() + rest)
	}
	return u.String()
}

// pageSize reads the page size a request asks for in parameter key (limit or
// page_size) the way Django REST framework's paginators do: a positive
// integer, capped at the server's max page size (WithMaxPageSize) without a
// word; anything else, or nothing, gives def, which is not capped (DRF caps
// only what the request asks for).
func (s *Server) pageSize(q url.Values, key string, def int) int {
	n := positiveInt(q, key, true, 0)
	if n == 0 {
		return def
	}
	if s.cfg.maxPage > 0 {
		n = min(n, s.cfg.maxPage)
	}
	return n
}

// limitOffset slices n items like LimitOffsetPagination and returns the bounds
// and the absolute next and previous links (nil when absent). def is the limit
// when the request gives none. An offset past the end gives an empty slice
// (from = to = n) and no next link. offset may be as large as math.MaxInt, so
// offset+limit is never computed unless it is below n.
func (s *Server) limitOffset(r *http.Request, n, def int) (from, to int, next, prev *string) {
	q := r.URL.Query()
	limit := max(s.pageSize(q, "limit", def), 1)
	offset := positiveInt(q, "offset", false, 0)
	from = min(offset, n)
	to = from + min(limit, n-from)
	if offset < n && limit < n-offset { // offset+limit < n
		nq := cloneQuery(q)
		nq.Set("limit", strconv.Itoa(limit))
		nq.Set("offset", strconv.Itoa(offset+limit))
		link := s.absoluteURL(r, nq)
		next = &link
	}
	if offset > 0 {
		pq := cloneQuery(q)
		pq.Set("limit", strconv.Itoa(limit))
		if offset-limit <= 0 {
			pq.Del("offset")
		} else {
			pq.Set("offset", strconv.Itoa(offset-limit))
		}
		link := s.absoluteURL(r, pq)
		prev = &link
	}
	return from, to, next, prev
}

// pageNumber slices n items like PageNumberPagination with a page_size
// parameter. ok is false (and the 404 answered) for a page that does not
// exist.
func (s *Server) pageNumber(w http.ResponseWriter, r *http.Request, n int) (from, to int, next, prev *string, ok bool) {
	q := r.URL.Query()
	size := s.pageSize(q, "page_size", s.cfg.pageSize)
	pages := max(n/size, 1) // n+size-1 may overflow: round up apart
	if n > size && n%size != 0 {
		pages++
	}
	page := 1
	if v := q.Get("page"); v != "" {
		if v == "last" {
			page = pages
		} else if p, err := strconv.Atoi(v); err == nil && p >= 1 && p <= pages {
			page = p
		} else {
			writeJSON(w, http.StatusNotFound, detail("Invalid page."))
			return 0, 0, nil, nil, false
		}
	}
	// page*size cannot overflow: page is 1, or page <= pages and size < n.
	from, to = min((page-1)*size, n), min(page*size, n)
	if page < pages {
		nq := cloneQuery(q)
		nq.Set("page", strconv.Itoa(page+1))
		link := s.absoluteURL(r, nq)
		next = &link
	}
	if page > 1 {
		pq := cloneQuery(q)
		if page == 2 {
			pq.Del("page")
		} else {
			pq.Set("page", strconv.Itoa(page-1))
		}
		link := s.absoluteURL(r, pq)
		prev = &link
	}
	return from, to, next, prev, true
}

// envelope is the {count, next, previous, results} answer.
type envelope struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  any     `json:"results"`
}

func cloneQuery(q url.Values) url.Values {
	c := make(url.Values, len(q))
	for k, v := range q {
		c[k] = append([]string(nil), v...)
	}
	return c
}
