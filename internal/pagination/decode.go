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
			Count    keyed[int]    `json:"count"`
			Next     keyed[string] `json:"next"`
			Previous keyed[string] `json:"previous"`
			Results  *[]T          `json:"results"`
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
		p.Count, p.Next, p.Previous = env.Count.v, deref(env.Next.v), deref(env.Previous.v)
		// A link that is null still says the list is paginated: the last
		// page of a paginator that counts nothing has only "next": null.
		p.envelope = env.Count.present || env.Next.present || env.Previous.present
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

// keyed is an envelope's count or link: its value, nil when null, and
// whether its key was in the answer at all.
type keyed[T any] struct {
	v       *T
	present bool
}

// UnmarshalJSON notes the key and decodes its value; encoding/json calls it
// for null too.
func (k *keyed[T]) UnmarshalJSON(b []byte) error {
	k.present = true
	if string(b) == "null" {
		k.v = nil // a key given twice: the last one counts, as in encoding/json
		return nil
	}
	return json.Unmarshal(b, &k.v)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
