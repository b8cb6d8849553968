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
	for in, want := range map[string]BoolOrString{`true`: true, `false`: false, `"True"`: true, `"false"`: false, `"1"`: true, `""`: false, `null`: false} {
		v := BoolOrString(!want)
		if err := json.Unmarshal([]byte(in), &v); err != nil || v != want {
			t.Errorf("%s: %v, %v", in, v, err)
		}
	}
	for _, in := range []string{`"maybe"`, `1`, `{}`} {
		var v BoolOrString
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s accepted as %v", in, v)
		}
	}
	b, _ := json.Marshal(BoolOrString(true))
	if string(b) != "true" {
		t.Errorf("marshals as %s", b)
	}
}

func TestExtra(t *testing.T) {
	got, err := Extra([]byte(`{"id":1,"name":"x","seats":2,"tags":["a"]}`), "id", "name")
	want := map[string]json.RawMessage{"seats": json.RawMessage(`2`), "tags": json.RawMessage(`["a"]`)}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Extra = %v, %v", got, err)
	}
	if got, err := Extra([]byte(`{"id":1}`), "id"); err != nil || got != nil {
		t.Errorf("no extra members: %v, %v", got, err)
	}
	if _, err := Extra([]byte(`[1]`)); err == nil {
		t.Error("a non-object accepted")
	}
}
