package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestStringOrNumber(t *testing.T) {
	for in, want := range map[string]StringOrNumber{`"12.50"`: "12.50", `12.5`: "12.5", `7`: "7", `null`: "", `""`: ""} {
		var v StringOrNumber
		if err := json.Unmarshal([]byte(in), &v); err != nil || v != want {
			t.Errorf("%s: %q, %v", in, v, err)
		}
	}
	for _, in := range []string{`true`, `{}`, `[1]`} {
		var v StringOrNumber
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s accepted as %q", in, v)
		}
	}
	if n, err := StringOrNumber("42").Int(); err != nil || n != 42 {
		t.Errorf("Int = %d, %v", n, err)
	}
	if _, err := StringOrNumber("4.2").Int(); err == nil {
		t.Error("4.2 read as an integer")
	}
}

func TestBoolOrString(t *testing.T) {
	cases := []struct {
		in        string
		text      BoolOrString
		value, ok bool
	}{
		{`true`, "true", true, true},
		{`false`, "false", false, true},
		{`"True"`, "True", true, true},
		{`"false"`, "false", false, true},
		{`"1"`, "1", true, true},
		{`"0"`, "0", false, true},
		{`""`, "", false, true},
		{`null`, "", false, true},
		{`"pending"`, "pending", false, false},
	}
	for _, tc := range cases {
		v := BoolOrString("previous")
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil || v != tc.text {
			t.Errorf("%s: decoded %q, %v; want %q", tc.in, v, err, tc.text)
		}
		if value, ok := v.Bool(); value != tc.value || ok != tc.ok {
			t.Errorf("%s: Bool() = %v, %v; want %v, %v", tc.in, value, ok, tc.value, tc.ok)
		}
	}
	for _, in := range []string{`1`, `{}`, `[true]`} {
		var v BoolOrString
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s accepted as %q", in, v)
		}
	}
}

type embedded struct {
	Seats int `json:"seats"`
}

type sample struct {
	ID     int    `json:"id"`
	Name   string `json:"name,omitempty"`
	Plain  string
	Hidden string `json:"-"`
	Dash   string `json:"-,"`
	embedded
	private int                        // unexported: never decoded
	Extra   map[string]json.RawMessage `json:"-"`
}

func TestExtra(t *testing.T) {
	got, err := Extra[sample]([]byte(`{"id":1,"NAME":"x","plain":"p","-":"d","seats":2,"Hidden":"h","private":3,"tags":["a"]}`))
	want := map[string]json.RawMessage{"Hidden": json.RawMessage(`"h"`), "private": json.RawMessage(`3`), "tags": json.RawMessage(`["a"]`)}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Extra = %s, %v; want %s", got, err, want)
	}
	// the names come from the cache the second time, and agree
	if got, err := Extra[sample]([]byte(`{"id":1,"seats":2}`)); err != nil || got != nil {
		t.Errorf("no extra members: %v, %v", got, err)
	}
	if _, err := Extra[sample]([]byte(`[1]`)); err == nil {
		t.Error("a non-object accepted")
	}
	if got, err := Extra[int]([]byte(`{"a":1}`)); err != nil || len(got) != 1 {
		t.Errorf("a non-struct type knows no name: %v, %v", got, err)
	}
}
