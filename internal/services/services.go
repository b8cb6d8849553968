// Package services lets accounts.NewClient build the resource packages'
// services without those packages exporting a constructor that no user could
// call (its argument, *core.Client, is internal).
//
// Each resource package registers its constructor in an init function:
//
//	func init() { services.Register(func(c *core.Client) *Service { return &Service{c: c} }) }
//
// and accounts builds the service by its type:
//
//	services.New[users.Service](cc)
//
// accounts imports every resource package it builds, so their init functions
// have run before NewClient is called.
package services

import (
	"fmt"
	"reflect"

	"github.com/coolset-go/sdk/internal/core"
)

// constructors maps a service type to its constructor, a
// func(*core.Client) *S. It is written only by init functions, which run one
// at a time before any other code, and read afterwards.
var constructors = map[reflect.Type]any{}

// Register records the constructor of the service type S. It is called from
// the init function of the package declaring S.
func Register[S any](newService func(*core.Client) *S) {
	constructors[reflect.TypeFor[S]()] = newService
}

// New builds a service of type S on c with the constructor registered for S.
// It panics when none was registered: a programming error of the SDK (the
// package declaring S has no init registering it), found by any test that
// builds a client, never caused by a caller's input.
func New[S any](c *core.Client) *S {
	f, ok := constructors[reflect.TypeFor[S]()].(func(*core.Client) *S)
	if !ok {
		panic(fmt.Sprintf("services: no constructor registered for %v", reflect.TypeFor[S]()))
	}
	return f(c)
}
