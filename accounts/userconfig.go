package accounts

import (
	"context"

	"github.com/coolset-go/sdk/internal/core"
	"github.com/coolset-go/sdk/internal/endpoints"
	"github.com/coolset-go/sdk/internal/once"
)

// UserConfig is the current user's configuration (GET and PATCH accounts/user-config).
type UserConfig struct {
	// Config is the user's configuration. The API leaves its shape open.
	Config map[string]any `json:"config"`
	// AvailableActions lists what the user can do in their current state, such
	// as "sign_stakeholder_agreement".
	AvailableActions []string `json:"available_actions"`
	// CompanyType is the type of the user's active workspace.
	CompanyType string `json:"company_type"`
}

// UserConfigPatchRequest holds the changes to make to the user's configuration. Nil
// fields are left unchanged.
type UserConfigPatchRequest struct {
	// SignStakeholderAgreement set to true signs the stakeholder agreement.
	SignStakeholderAgreement *bool `json:"sign_stakeholder_agreement,omitempty"`
}

// UserConfigService reads and changes the current user's configuration. Get
// one from Client.UserConfig.
type UserConfigService struct {
	c *core.Client
}

// Get returns the current user's configuration (GET accounts/user-config).
func (s *UserConfigService) Get(ctx context.Context, opts ...RequestOption) (*UserConfig, error) {
	return core.Call[UserConfig](ctx, s.c, "GET", endpoints.UserConfig, nil, opts)
}

// Patch changes the current user's configuration (PATCH accounts/user-config)
// and returns the configuration as it is afterwards. A nil patch sends an empty
// object, changing nothing.
func (s *UserConfigService) Patch(ctx context.Context, patch *UserConfigPatchRequest, opts ...RequestOption) (*UserConfig, error) {
	if patch == nil {
		patch = &UserConfigPatchRequest{}
	}
	return once.Call[UserConfig](ctx, s.c, "PATCH", endpoints.UserConfig, patch, opts)
}
