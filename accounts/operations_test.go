package accounts_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/coolset-go/sdk/accounts"
	"github.com/jarcoal/httpmock"
)

func TestUserConfigGet(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "GET", path: "/api/accounts/user-config"}, 200, fixture(t, "user_config.json"))
	uc, err := c.UserConfig.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if uc.CompanyType != "stakeholder" || len(uc.AvailableActions) != 1 || uc.AvailableActions[0] != "sign_stakeholder_agreement" {
		t.Errorf("got %+v", uc)
	}
	if uc.Config["active_workspace_id"] != float64(7) || uc.Config["stakeholder_agreement_signed"] != false {
		t.Errorf("config = %v", uc.Config)
	}
}

func TestUserConfigPatch(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "PATCH", path: "/api/accounts/user-config", body: `{"sign_stakeholder_agreement":true}`}, 200,
		`{"config":{"stakeholder_agreement_signed":true},"available_actions":[],"company_type":"stakeholder"}`)
	uc, err := c.UserConfig.Patch(context.Background(), &accounts.UserConfigPatchRequest{SignStakeholderAgreement: accounts.Ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if uc.Config["stakeholder_agreement_signed"] != true || len(uc.AvailableActions) != 0 {
		t.Errorf("got %+v", uc)
	}
}

func TestUserConfigPatchFalseIsSent(t *testing.T) {
	c, mt := newMockClient(t)
	expect(t, mt, want{method: "PATCH", path: "/api/accounts/user-config", body: `{"sign_stakeholder_agreement":false}`}, 200,
		`{"config":{},"available_actions":[],"company_type":"active"}`)
	if _, err := c.UserConfig.Patch(context.Background(), &accounts.UserConfigPatchRequest{SignStakeholderAgreement: accounts.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
}

func TestRequestOptionHeader(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.test/api/accounts/user-config", func(req *http.Request) (*http.Response, error) {
		if got := req.Header.Values("X-Trace"); len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Errorf("X-Trace = %q", got)
		}
		if got := req.Header.Get("User-Agent"); got != "custom/1" {
			t.Errorf("User-Agent = %q", got)
		}
		return httpmock.NewStringResponse(200, `{"config":{},"available_actions":[],"company_type":"x"}`), nil
	})
	_, err := c.UserConfig.Get(context.Background(),
		accounts.WithHeader("x-trace", "a"), accounts.WithHeader("X-Trace", "b"), accounts.WithHeader("User-Agent", "custom/1"))
	if err != nil {
		t.Fatal(err)
	}
}
