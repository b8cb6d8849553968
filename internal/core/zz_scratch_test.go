package core

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

const zzBody = `{"name":"Netherlands","alpha_2":"NL","alpha_3":"NLD","numeric":"528","official_name":"Kingdom of the Netherlands","flag":"🇳🇱"}`

type zzCountry struct {
	Name         string `json:"name"`
	Alpha2       string `json:"alpha_2"`
	Alpha3       string `json:"alpha_3"`
	Numeric      string `json:"numeric"`
	OfficialName string `json:"official_name"`
	Flag         string `json:"flag"`
}

func zzGet(hc *http.Client, ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer bench-key")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func BenchmarkZZ(b *testing.B) {
	ctx := context.Background()
	length := strconv.Itoa(len(zzBody))
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = []string{"application/json"}
		w.Header()["Content-Length"] = []string{length}
		_, _ = w.Write([]byte(zzBody))
	}))
	defer s.Close()
	u := s.URL + "/api/accounts/countries/NL"
	rawT := http.DefaultTransport.(*http.Transport).Clone()
	rawT.MaxIdleConnsPerHost = 16
	raw := &http.Client{Transport: rawT}
	base, _ := url.Parse(s.URL + "/api/")
	c, err := New(Config{BaseURL: base, Authorization: "Bearer bench-key", UserAgent: "sdk/1"})
	if err != nil {
		b.Fatal(err)
	}
	rc := &retryablehttp.Client{HTTPClient: raw, RetryMax: 0, CheckRetry: retryablehttp.DefaultRetryPolicy, Backoff: retryablehttp.DefaultBackoff}
	rcSDK := &retryablehttp.Client{HTTPClient: c.follow, RetryMax: 0, CheckRetry: retryablehttp.DefaultRetryPolicy, Backoff: retryablehttp.DefaultBackoff}
	kinds := []struct {
		name string
		f    func() error
	}{
		{"raw", func() error { var x zzCountry; return zzGet(raw, ctx, u, &x) }},
		{"sdkhttp", func() error { var x zzCountry; return zzGet(c.follow, ctx, u, &x) }},
		{"retryable", func() error {
			req, _ := retryablehttp.NewRequestWithContext(ctx, "GET", u, nil)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "Bearer bench-key")
			resp, err := rc.Do(req)
			if err != nil {
				return err
			}
			var x zzCountry
			err = json.NewDecoder(resp.Body).Decode(&x)
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return err
		}},
		{"retryable+sdkhttp", func() error {
			req, _ := retryablehttp.NewRequestWithContext(ctx, "GET", u, nil)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "Bearer bench-key")
			resp, err := rcSDK.Do(req)
			if err != nil {
				return err
			}
			var x zzCountry
			err = json.NewDecoder(resp.Body).Decode(&x)
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return err
		}},
		{"do", func() error {
			var x zzCountry
			_, err := c.Do(ctx, &Request{Method: "GET", Path: "accounts/countries/NL"}, &x, nil)
			return err
		}},
	}
	tot := make([]time.Duration, len(kinds))
	i := 0
	for b.Loop() {
		i++
		for j := range kinds {
			k := (i + j) % len(kinds)
			start := time.Now()
			if err := kinds[k].f(); err != nil {
				b.Fatal(err)
			}
			tot[k] += time.Since(start)
		}
	}
	for k := range kinds {
		b.ReportMetric(float64(tot[k])/float64(tot[0]), kinds[k].name)
	}
}
