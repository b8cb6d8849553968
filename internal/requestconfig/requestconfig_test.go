package requestconfig

import "testing"

func TestAhead(t *testing.T) {
	for _, tc := range []struct {
		prefetch, want int
	}{
		{PrefetchDefault, 10},
		{PrefetchOff, 0},
		{-5, 0},
		{1, 1},
		{3, 3},
	} {
		c := Config{Prefetch: tc.prefetch}
		if got := c.Ahead(10); got != tc.want {
			t.Errorf("Prefetch %d: Ahead(10) = %d, want %d", tc.prefetch, got, tc.want)
		}
	}
}

func TestApplySkipsNilAndKeepsOrder(t *testing.T) {
	c := Apply([]Option{nil, func(c *Config) { c.Prefetch = 2 }, func(c *Config) { c.Prefetch = PrefetchOff }})
	if c.Prefetch != PrefetchOff {
		t.Errorf("Prefetch = %d, want the later option's", c.Prefetch)
	}
}
