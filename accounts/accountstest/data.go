package accountstest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

//go:embed data/iso_3166-1.json
var isoData []byte

// Country is one ISO 3166-1 country as the API answers it.
type Country struct {
	// Name is the country's short name, such as "Netherlands".
	Name string `json:"name"`
	// Alpha2 is the two-letter code, such as "NL"; GET accounts/countries/{id}
	// looks it up.
	Alpha2 string `json:"alpha_2"`
	// Alpha3 is the three-letter code, such as "NLD".
	Alpha3 string `json:"alpha_3"`
	// Numeric is the numeric code, such as "528".
	Numeric string `json:"numeric"`
	// OfficialName is the official name; nil for countries without one.
	OfficialName *string `json:"official_name"`
	// Flag is the flag emoji; nil when the data has none.
	Flag *string `json:"flag"`
}

func loadCountries() []Country {
	var file struct {
		Entries []struct {
			Alpha2       string  `json:"alpha_2"`
			Alpha3       string  `json:"alpha_3"`
			Flag         *string `json:"flag"`
			Name         string  `json:"name"`
			Numeric      string  `json:"numeric"`
			OfficialName *string `json:"official_name"`
		} `json:"3166-1"`
	}
	if err := json.Unmarshal(isoData, &file); err != nil {
		panic("accountstest: embedded country data: " + err.Error()) // a broken build, not input
	}
	out := make([]Country, 0, len(file.Entries))
	for _, e := range file.Entries {
		out = append(out, Country{Name: e.Name, Alpha2: e.Alpha2, Alpha3: e.Alpha3, Numeric: e.Numeric, OfficialName: e.OfficialName, Flag: e.Flag})
	}
	return out
}

// Workspace is one seeded workspace (a company).
type Workspace struct {
	// ID is the workspace's id (the API's workspace_id and company id).
	ID int
	// Name is the workspace's name.
	Name string
	// Logo is the workspace's logo as the API gives it; nil when it has none.
	Logo *string
	// Type is active, inactive, test, demo, trial or stakeholder.
	Type string
	// Country is an ISO alpha-2 code; nil when unknown.
	Country *string
	// MemberCount is the number of members the API reports.
	MemberCount int
	// IsMFAEnabled says whether the workspace requires MFA.
	IsMFAEnabled bool
	// CreatedAt is when the workspace was created.
	CreatedAt time.Time
	// UpdatedAt is when the workspace was last changed.
	UpdatedAt time.Time
}

// workspaceJSON is a Workspace as operation 5 answers it.
type workspaceJSON struct {
	WorkspaceID   int     `json:"workspace_id"`
	WorkspaceName string  `json:"workspace_name"`
	WorkspaceLogo string  `json:"workspace_logo"`
	ID            int     `json:"id"`
	Name          string  `json:"name"`
	Logo          *string `json:"logo"`
	Type          string  `json:"type"`
	Country       *string `json:"country"`
	MemberCount   int     `json:"member_count"`
	IsMFAEnabled  bool    `json:"is_mfa_enabled"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
}

// drfTime renders a time the way Django REST framework does: UTC, with
// microseconds, and "Z".
func drfTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func (w Workspace) json() workspaceJSON {
	logo := ""
	if w.Logo != nil {
		logo = *w.Logo
	}
	return workspaceJSON{
		WorkspaceID: w.ID, WorkspaceName: w.Name, WorkspaceLogo: logo,
		ID: w.ID, Name: w.Name, Logo: w.Logo, Type: w.Type, Country: w.Country,
		MemberCount: w.MemberCount, IsMFAEnabled: w.IsMFAEnabled,
		CreatedAt: drfTime(w.CreatedAt), UpdatedAt: drfTime(w.UpdatedAt),
	}
}

// workspaceTypes are the six workspace types, in the API's order. The server
// keeps its own copy rather than importing the SDK's, so that a mistake in one
// shows as a disagreement between them.
var workspaceTypes = []string{"active", "inactive", "test", "demo", "trial", "stakeholder"}

var (
	adjectives = []string{"Green", "Blue", "Northern", "Silver", "Golden", "Bright", "Quiet", "Urban", "Coastal",
		"Alpine", "Nordic", "Solar", "Rapid", "Prime", "Noble", "Evergreen", "Circular", "Clear", "New", "Next"}
	nouns = []string{"Harbor", "Fields", "Logistics", "Foods", "Textiles", "Energy", "Metals", "Retail", "Farms",
		"Labs", "Works", "Bakery", "Coffee", "Motors", "Timber", "Green", "Packaging", "Dairy"}
	suffixes = []string{"BV", "GmbH", "Ltd", "SAS", "NV", "AB", "Oy", "SpA", "Inc", "bv"}
	codes    = []string{"NL", "BE", "DE", "FR", "GB", "ES", "IT", "PT", "IE", "LU", "AT", "CH", "DK", "SE", "NO",
		"FI", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "SI", "HR", "EE", "LV", "LT", "US", "CA", "MX", "BR",
		"AR", "CL", "ZA", "KE", "IN", "JP", "AU", "NZ"}
	// typeWeights gives each type's share out of 100, in workspaceTypes order.
	typeWeights = []int{40, 12, 10, 10, 15, 13}
)

// generateWorkspaces builds n workspaces deterministically from seed.
func generateWorkspaces(seed int64, n int) []Workspace {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_acc0_0575))
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Workspace, n)
	for i := range out {
		id := i + 1
		w := Workspace{
			ID:           id,
			Name:         fmt.Sprintf("%s %s %s", adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))], suffixes[rng.IntN(len(suffixes))]),
			Type:         pickType(rng.IntN(100)),
			MemberCount:  1 + rng.IntN(250),
			IsMFAEnabled: rng.IntN(10) < 3,
		}
		if i < len(workspaceTypes) {
			w.Type = workspaceTypes[i] // every type is present, whatever the seed
		}
		if rng.IntN(10) < 7 {
			logo := fmt.Sprintf("https://cdn.accountstest.invalid/logos/%d.png", id)
			w.Logo = &logo
		}
		if rng.IntN(100) >= 5 {
			c := codes[rng.IntN(len(codes))]
			w.Country = &c
		}
		w.CreatedAt = start.Add(time.Duration(rng.Int64N(int64(6*365*24*time.Hour/time.Microsecond))) * time.Microsecond)
		w.UpdatedAt = w.CreatedAt.Add(time.Duration(rng.Int64N(int64(365*24*time.Hour/time.Microsecond))) * time.Microsecond)
		out[i] = w
	}
	return out
}

func pickType(r int) string {
	for i, wgt := range typeWeights {
		if r < wgt {
			return workspaceTypes[i]
		}
		r -= wgt
	}
	return workspaceTypes[0]
}
