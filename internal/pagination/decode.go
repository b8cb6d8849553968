package pagination

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/coolset-go/sdk/internal/core"
)

func clonePtr(p *int) *int {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// decodedPage decodes any list answer straight from the body.
type decodedPage[T any] struct {
	Page[T]
	itemsKey string
	envelope bool // the answer carried pagination links (count/next/previous)
}

// DecodeBody implements core.BodyDecoder.
func (p *decodedPage[T]) DecodeBody(r io.Reader) error {
	// Start clean: the transport decodes again when it repeats a call whose
	// answer was cut short.
	p.Page, p.envelope = Page[T]{}, false
	first, r, err := core.FirstByte(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(r)
	switch first {
	case '[':
		if err := dec.Decode(&p.Results); err != nil {
			return err
		}
		return core.End(dec, r)
	case '{':
	default:
		return fmt.Errorf("a list answer must be a JSON array or object, got %q", first)
	}
	if p.itemsKey == "" || p.itemsKey == "results" {
		var env struct {
			Count    *int    `json:"count"`
			Next     *string `json:"next"`
			Previous *string `json:"previous"`
			Results  *[]T    `json:"results"`
		}
		env.Results = &p.Results
		if err := dec.Decode(&env); err != nil {
			return err
		}
		if err := core.End(dec, r); err != nil {
			return err
		}
		if env.Results == nil || p.Results == nil {
			return errors.New(`the list answer has no "results"`)
		}
		p.Count, p.Next, p.Previous = env.Count, deref(env.Next), deref(env.Previous)
		p.envelope = env.Count != nil || env.Next != nil || env.Previous != nil
		return nil
	}
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		return err
	}
	if err := core.End(dec, r); err != nil {
		return err
	}
	raw, ok := obj[p.itemsKey]
	if !ok {
		return fmt.Errorf("the list answer has no %q", p.itemsKey)
	}
	if err := json.Unmarshal(raw, &p.Results); err != nil {
		return err
	}
	if p.Results == nil {
		return fmt.Errorf("the list answer's %q is null, not a list", p.itemsKey)
	}
	for k, dst := range map[string]*string{"next": &p.Next, "previous": &p.Previous} {
		if v, ok := obj[k]; ok {
			var s *string
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			*dst = deref(s)
			p.envelope = true
		}
	}
	if v, ok := obj["count"]; ok {
		if err := json.Unmarshal(v, &p.Count); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		p.envelope = true
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
