// Package model holds the types that more than one resource package returns:
// the company object that users and invitation statuses embed, and the loose
// scalar types for fields the API documents with one JSON type but may send
// with another. The resource packages re-export them with type aliases.
package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Company is a workspace as embedded in a user profile or an invitation status
// (seed 001). It carries more of the company's data than a workspace list item.
type Company struct {
	// ID is the company's id, the one workspace calls take.
	ID int `json:"id"`
	// Name is the company's name.
	Name string `json:"name"`
	// Type is the kind of workspace, such as "active" or "trial".
	Type WorkspaceType `json:"type"`
	// Country is the company's country code, such as "NL"; nil when unknown.
	Country *string `json:"country"`
	// CreditsUsed is the credits the company has used, as the API writes them.
	CreditsUsed StringOrNumber `json:"credits_used"`
	// NrOfEmployees is the company's number of employees.
	NrOfEmployees int `json:"nr_of_employees"`
	// NrOfLocations is the company's number of locations.
	NrOfLocations int `json:"nr_of_locations"`
	// NrOfTransactions is the company's number of transactions.
	NrOfTransactions int `json:"nr_of_transactions"`
	// MinimumDateFilter is the earliest date the company's filters allow
	// (YYYY-MM-DD), or "".
	MinimumDateFilter string `json:"minimum_date_filter"`
	// ResultsLimitEarliestYear is the start of the company's results window
	// (YYYY-MM-DD), or "".
	ResultsLimitEarliestYear string `json:"results_limit_earliest_year"`
	// ResultsLimitLatestYear is the end of the company's results window
	// (YYYY-MM-DD), or "".
	ResultsLimitLatestYear string `json:"results_limit_latest_year"`
	// MinTransactionDate is the date of the company's first transaction, or "".
	MinTransactionDate string `json:"min_transaction_date"`
	// MaxTransactionDate is the date of the company's last transaction, or "".
	MaxTransactionDate string `json:"max_transaction_date"`
	// ChiftConsumerID identifies the company at the Chift integration, or "".
	ChiftConsumerID string `json:"chift_consumer_id"`
	// DefaultCurrency is the company's currency code, such as "EUR".
	DefaultCurrency string `json:"default_currency"`
	// DefaultLocale is the company's locale, such as "nl-NL".
	DefaultLocale string `json:"default_locale"`
	// DataRoomConsumerID identifies the company at the data room, or "".
	DataRoomConsumerID string `json:"data_room_consumer_id"`
	// Information is free-form company data; the API gives it no schema.
	Information map[string]any `json:"information"`
	// PulseParams are the company's survey parameters, as the API writes them.
	PulseParams string `json:"pulse_params"`
	// Flags are the feature flags enabled for the company.
	Flags []Flag `json:"flags"`
}

// WorkspaceType is the kind of a workspace; the workspaces package re-exports
// it with the constants below.
type WorkspaceType string

// The workspace types the API knows.
const (
	TypeActive      WorkspaceType = "active"
	TypeInactive    WorkspaceType = "inactive"
	TypeTest        WorkspaceType = "test"
	TypeDemo        WorkspaceType = "demo"
	TypeTrial       WorkspaceType = "trial"
	TypeStakeholder WorkspaceType = "stakeholder"
)

// WorkspaceTypes returns every workspace type the API knows, in the API's
// order.
func WorkspaceTypes() []WorkspaceType {
	return []WorkspaceType{TypeActive, TypeInactive, TypeTest, TypeDemo, TypeTrial, TypeStakeholder}
}

// Known reports whether t is one of the API's workspace types.
func (t WorkspaceType) Known() bool {
	switch t {
	case TypeActive, TypeInactive, TypeTest, TypeDemo, TypeTrial, TypeStakeholder:
		return true
	}
	return false
}

// Flag is a feature flag enabled for a company.
type Flag struct {
	// Name is the flag's name.
	Name string `json:"name"`
}

// StringOrNumber is a text field the API documents as a string but that may
// arrive as a JSON number (an id, an amount). It holds the text either way;
// null decodes as "". It is sent as a JSON string.
type StringOrNumber string

// UnmarshalJSON accepts a JSON string, number or null.
func (s *StringOrNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = StringOrNumber(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number, got %.32s", b)
	}
	*s = StringOrNumber(n)
	return nil
}

// Int returns the value as an integer, if it is one.
func (s StringOrNumber) Int() (int, error) { return strconv.Atoi(string(s)) }

// BoolOrString is a field the API documents as a string but whose meaning
// looks like true or false (is_active, is_mfa_enabled of an invitation
// status). It holds the server's text, so a value the SDK does not foresee
// ("pending", say) is kept rather than failing the whole answer: a JSON
// boolean is held as "true" or "false", a string as it is, null as "". Bool
// reads it as a boolean.
type BoolOrString string

// UnmarshalJSON accepts a JSON string, boolean or null.
func (v *BoolOrString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*v = ""
		return nil
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*v = BoolOrString(b)
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = BoolOrString(s)
		return nil
	}
	return fmt.Errorf("want a string or a boolean, got %.32s", b)
}

// Bool reads the value as a boolean: "true", "True", "TRUE" and "1" are true;
// "false", "False", "FALSE", "0" and "" (null) are false. ok is false for any
// other text, which Bool reports as false.
func (v BoolOrString) Bool() (value, ok bool) {
	switch v {
	case "true", "True", "TRUE", "1":
		return true, true
	case "false", "False", "FALSE", "0", "":
		return false, true
	}
	return false, false
}

// Extra collects the members of a JSON object that encoding/json would not
// decode into a struct of type T, so that fields the SDK does not type yet stay
// reachable. The names T knows are read from its json tags (a field without a
// tag is known by its Go name, "-" is not decoded, embedded structs lend their
// fields), once per type; like encoding/json, a member matches a name
// regardless of case. It returns nil when there are none. T is a struct type,
// typically the plain copy an UnmarshalJSON decodes into:
//
//	type plain Invitation
//	...
//	extra, err := model.Extra[plain](b)
func Extra[T any](data []byte) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	known := knownNames(reflect.TypeFor[T]())
	for k := range all {
		if _, ok := known[strings.ToLower(k)]; ok {
			delete(all, k)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// names caches knownNames per type: reflect.Type to map[string]struct{}.
var names sync.Map

// knownNames returns the lower-cased JSON member names a struct type decodes.
func knownNames(t reflect.Type) map[string]struct{} {
	if v, ok := names.Load(t); ok {
		return v.(map[string]struct{})
	}
	set := map[string]struct{}{}
	addNames(set, t, 0)
	v, _ := names.LoadOrStore(t, set)
	return v.(map[string]struct{})
}

// addNames adds the names of t's fields to set, following embedded structs
// (to a bounded depth, so that no type can make it recurse for ever).
func addNames(set map[string]struct{}, t reflect.Type, depth int) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || depth > 8 {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			addNames(set, f.Type, depth+1)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		set[strings.ToLower(name)] = struct{}{}
	}
}
