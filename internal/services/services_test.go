package services

import (
	"testing"

	"github.com/coolset-go/sdk/internal/core"
)

type registered struct{ c *core.Client }

type unregistered struct{}

func TestNewUsesTheRegisteredConstructor(t *testing.T) {
	Register(func(c *core.Client) *registered { return &registered{c: c} })
	c := new(core.Client)
	if got := New[registered](c); got == nil || got.c != c {
		t.Fatalf("New = %+v, want a service on the client given", got)
	}
}

func TestNewWithoutConstructorPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New of an unregistered type did not panic")
		}
	}()
	New[unregistered](nil)
}
