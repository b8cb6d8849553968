package accounts_test

import (
	"reflect"
	"testing"

	"github.com/coolset-go/sdk/accounts"
)

// NewClient builds every service, the resource packages' through the
// constructors they register with internal/services.
func TestNewClientBuildsEveryService(t *testing.T) {
	c, err := accounts.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(c).Elem()
	n := 0
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer {
			continue
		}
		n++
		if v.Field(i).IsNil() {
			t.Errorf("Client.%s is nil", f.Name)
		}
	}
	if n < 8 {
		t.Errorf("found %d services, want 8", n)
	}
}
