package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkAll/limit-offset/pages=10/sequential-2   	       1	 212000000 ns/op
BenchmarkAll/limit-offset/pages=5/sequential-2    	       1	 106000000 ns/op
BenchmarkAll/limit-offset/pages=5/ahead-2         	       3	  60000000 ns/op
BenchmarkAll/limit-offset/pages=10/ahead-2        	       2	  62000000 ns/op
BenchmarkAll/limit-offset/pages=10/ahead-2        	       2	  64000000 ns/op
BenchmarkAllMemory/items=100000-2                 	       1	 249120787 ns/op	   3626504 peak-heap-B
BenchmarkGet/sdk-2                                	   39452	     70877 ns/op
PASS
`

func TestParse(t *testing.T) {
	ss, err := parse(strings.NewReader(sample), "BenchmarkAll")
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].name != "limit-offset sequential" || ss[1].name != "limit-offset ahead" {
		t.Fatalf("series = %+v", ss)
	}
	seq := ss[0].points
	if len(seq) != 2 || seq[0] != (point{5, 106}) || seq[1] != (point{10, 212}) {
		t.Errorf("sequential = %v, want sorted by pages", seq)
	}
	if ahead := ss[1].points; len(ahead) != 2 || ahead[1] != (point{10, 63}) {
		t.Errorf("ahead = %v, want the two runs at 10 pages averaged", ahead)
	}
}

func TestParseRefusesInputWithoutResults(t *testing.T) {
	if _, err := parse(strings.NewReader("PASS\n"), "BenchmarkAll"); err == nil {
		t.Fatal("no error for input without results")
	}
	if _, err := parse(strings.NewReader("BenchmarkAll/x/pages=5/y-2 1 abc ns/op\n"), "BenchmarkAll"); err == nil {
		t.Fatal("no error for an unreadable time")
	}
}

func TestRunWritesAPNGWithTheSeriesColours(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "bench.txt"), filepath.Join(dir, "plot.png")
	if err := os.WriteFile(in, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(in, out, "BenchmarkAll", "test", "pages"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != 800 || s.Y != 500 {
		t.Errorf("size %v", s)
	}
	found := map[int]bool{}
	for y := 0; y < 500; y++ {
		for x := 0; x < 800; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for i, c := range palette[:2] {
				if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
					found[i] = true
				}
			}
		}
	}
	if !found[0] || !found[1] {
		t.Errorf("series colours drawn: %v", found)
	}
}

func TestNiceCeil(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 0.7: 1, 1: 1, 1.2: 2, 2100: 2500, 260: 500, 47: 50} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}
