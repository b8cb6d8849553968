package core

import (
	"context"

	"github.com/coolset-go/sdk/internal/requestconfig"
)

// Call sends one request whose answer is a single JSON object and returns it
// decoded as a T. body, when not nil, is sent as JSON. It is the one way the
// services make a call that answers one object.
func Call[T any](ctx context.Context, c *Client, method, path string, body any, opts []requestconfig.Option) (*T, error) {
	var out T
	if _, err := c.Do(ctx, &Request{Method: method, Path: path, Body: body}, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}
