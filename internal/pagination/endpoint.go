package pagination

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"reflect"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/requestconfig"
	"github.com/google/go-querystring/query"
)

// Options is implemented by every list options struct.
type Options interface {
	// Validate checks the options before anything is sent.
	Validate() error
}

// Endpoint is one list of the API, declared once by the service that serves
// it; the service's List and All methods are its List and All. T is the item
// type, O the options type (a pointer to a struct that embeds one of package
// paging's parameter structs, or two for a list that takes both styles).
type Endpoint[T any, O Options] struct {
	// Path is the list's path, relative to the base URL.
	Path string
	// Style is how the list is paged when the options set no paging
	// parameter; options that set the other style's parameters (users'
	// ListOptions embeds both) page it their way.
	Style Style
	// ItemsKey names the member holding the items when the answer is an object
	// other than the standard envelope; "" means "results".
	ItemsKey string
	// ServerSized is set for a list that takes no page-size parameter: All
	// then asks for none, and the server's pages decide.
	ServerSized bool
	// Extra, when set, returns the parameters the options carry outside their
	// url tags (workspaces' Lookups), given non-nil options that Validate
	// accepted. Validate must refuse a name that repeats a tagged parameter.
	Extra func(O) url.Values
}

// List validates opts (which may be nil) and fetches the one page they name.
func (e *Endpoint[T, O]) List(ctx context.Context, c *core.Client, opts O, reqOpts []requestconfig.Option) (*Page[T], error) {
	return List[T](ctx, e.Spec(c, opts, reqOpts))
}

// All validates opts (which may be nil) and iterates over every item from
// the position they name to the end of the list; see the function All.
func (e *Endpoint[T, O]) All(ctx context.Context, c *core.Client, opts O, reqOpts []requestconfig.Option) iter.Seq2[*T, error] {
	return All[T](ctx, e.Spec(c, opts, reqOpts))
}

// Spec describes one use of the list, what List and All send: opts
// validated, encoded, and their paging read. A refusal of opts is carried in
// Spec.Err, which List returns and All yields without sending anything.
func (e *Endpoint[T, O]) Spec(c *core.Client, opts O, reqOpts []requestconfig.Option) Spec {
	s := Spec{Client: c, Path: e.Path, Style: e.Style, ItemsKey: e.ItemsKey, ServerSized: e.ServerSized, Options: reqOpts}
	if isNil(opts) {
		return s
	}
	if s.Err = opts.Validate(); s.Err != nil {
		return s
	}
	if s.Query, s.Err = encodeQuery(opts); s.Err != nil {
		return s
	}
	if e.Extra != nil {
		for k, vs := range e.Extra(opts) {
			s.Query[k] = append([]string(nil), vs...)
		}
	}
	if p, ok := any(opts).(pageParams); ok {
		if page, size := p.PageParams(); page != nil || size != nil {
			s.Style, s.Position, s.Size = PageNumber, page, size
		}
	}
	if p, ok := any(opts).(limitOffsetParams); ok {
		if limit, offset := p.LimitOffsetParams(); limit != nil || offset != nil {
			s.Style, s.Position, s.Size = LimitOffset, offset, limit
		}
	}
	return s
}

// limitOffsetParams is implemented by paging.LimitOffset, and so by the
// options that embed it.
type limitOffsetParams interface {
	LimitOffsetParams() (limit, offset *int)
}

// pageParams is implemented by paging.PageNumber and paging.PageOnly, and so
// by the options that embed one of them.
type pageParams interface {
	PageParams() (page, pageSize *int)
}

// isNil reports whether opts is a nil pointer (the options are optional).
func isNil(opts any) bool {
	v := reflect.ValueOf(opts)
	return !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil()
}

// encodeQuery encodes an options struct by its url tags (go-querystring):
// its filters and the paging parameters it embeds.
func encodeQuery(opts any) (url.Values, error) {
	v, err := query.Values(opts)
	if err != nil {
		return nil, fmt.Errorf("accounts: encoding query: %w", err)
	}
	return v, nil
}
