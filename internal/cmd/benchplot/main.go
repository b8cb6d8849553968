// Command benchplot draws listing time against page count from the output of
// the pagination benchmarks, as a PNG, using only the standard library.
//
//	go test -run '^$' -bench 'All$' ./internal/pagination/ | go run ./internal/cmd/benchplot -out docs/listing.png
//
// It reads lines such as
//
//	BenchmarkAll/limit-offset/pages=20/ahead-2   3   61234567 ns/op
//
// and draws one line per series (here "limit-offset ahead"): the x axis is the
// number after "pages=" (or any other "key="), the y axis the time per
// operation in milliseconds.
// Repeated runs of one benchmark (-count) are averaged.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	in := flag.String("in", "", "benchmark output to read (default: standard input)")
	out := flag.String("out", "docs/listing.png", "PNG file to write")
	name := flag.String("bench", "BenchmarkAll", "benchmark whose sub-benchmarks to plot")
	title := flag.String("title", "ms per list, 20 ms per request", "title drawn above the plot")
	xlabel := flag.String("xlabel", "pages of 100 items", "label of the x axis")
	flag.Parse()
	if err := run(*in, *out, *name, *title, *xlabel); err != nil {
		fmt.Fprintln(os.Stderr, "benchplot:", err)
		os.Exit(1)
	}
}

func run(in, out, name, title, xlabel string) error {
	var r io.Reader = os.Stdin
	if in != "" {
		f, err := os.Open(in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	series, err := parse(r, name)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, render(series, title, xlabel, 800, 500)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// point is one benchmark result: pages and milliseconds per operation.
type point struct {
	x, y float64
}

// series is one line of the plot.
type series struct {
	name   string
	points []point // sorted by x
}

// parse reads `go test -bench` output and returns the series of the
// sub-benchmarks of name that carry a "key=N" element (pages=N, items=N), in
// order of first appearance.
func parse(r io.Reader, name string) ([]series, error) {
	type key struct {
		series string
		x      float64
	}
	sums := map[key][2]float64{} // sum of ms, number of runs
	var order []string
	xs := map[string][]float64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], name+"/") {
			continue
		}
		ns := -1.0
		for i := 2; i+1 < len(f); i++ {
			if f[i+1] == "ns/op" {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return nil, fmt.Errorf("%q: %w", sc.Text(), err)
				}
				ns = v
			}
		}
		if ns < 0 {
			continue
		}
		bench := f[0]
		if i := strings.LastIndexByte(bench, '-'); i > 0 {
			if _, err := strconv.Atoi(bench[i+1:]); err == nil {
				bench = bench[:i] // the GOMAXPROCS suffix
			}
		}
		var x float64 = -1
		var label []string
		for _, part := range strings.Split(bench, "/")[1:] {
			if _, v, ok := strings.Cut(part, "="); ok { // pages=N, items=N
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, fmt.Errorf("%q: %w", sc.Text(), err)
				}
				x = n
				continue
			}
			label = append(label, part)
		}
		if x < 0 {
			continue
		}
		s := strings.Join(label, " ")
		k := key{s, x}
		if _, seen := xs[s]; !seen {
			order = append(order, s)
		}
		if _, seen := sums[k]; !seen {
			xs[s] = append(xs[s], x)
		}
		sums[k] = [2]float64{sums[k][0] + ns/1e6, sums[k][1] + 1}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, errors.New("no " + name + " results with key=N in the input")
	}
	out := make([]series, 0, len(order))
	for _, s := range order {
		pts := make([]point, 0, len(xs[s]))
		for _, x := range xs[s] {
			v := sums[key{s, x}]
			pts = append(pts, point{x, v[0] / v[1]})
		}
		slices.SortFunc(pts, func(a, b point) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		out = append(out, series{name: s, points: pts})
	}
	return out, nil
}

// palette colours the series in order.
var palette = []color.RGBA{
	{0xd6, 0x27, 0x28, 0xff}, // red
	{0x1f, 0x77, 0xb4, 0xff}, // blue
	{0xff, 0x7f, 0x0e, 0xff}, // orange
	{0x2c, 0xa0, 0x2c, 0xff}, // green
	{0x94, 0x67, 0xbd, 0xff}, // purple
	{0x8c, 0x56, 0x4b, 0xff}, // brown
}

var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	black = color.RGBA{0x20, 0x20, 0x20, 0xff}
	grey  = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// render draws the series on a w×h image: a title, axes from zero, grid
// lines, one polyline with dots per series, and a legend.
func render(ss []series, title, xlabel string, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, img.Bounds(), white)
	left, right, top, bottom := 70, w-20, 40, h-50
	var maxX, maxY float64
	for _, s := range ss {
		for _, p := range s.points {
			maxX, maxY = math.Max(maxX, p.x), math.Max(maxY, p.y)
		}
	}
	maxX, maxY = niceCeil(maxX), niceCeil(maxY)
	px := func(x float64) int { return left + int(math.Round(x/maxX*float64(right-left))) }
	py := func(y float64) int { return bottom - int(math.Round(y/maxY*float64(bottom-top))) }

	for i := 0; i <= 5; i++ {
		yv, xv := maxY*float64(i)/5, maxX*float64(i)/5
		y, x := py(yv), px(xv)
		line(img, left, y, right, y, grey)
		line(img, x, top, x, bottom, grey)
		label := trimFloat(yv)
		text(img, left-8-textWidth(label, 2), y-5, label, 2, black)
		label = trimFloat(xv)
		text(img, x-textWidth(label, 2)/2, bottom+8, label, 2, black)
	}
	line(img, left, bottom, right, bottom, black)
	line(img, left, top, left, bottom, black)
	xl := strings.ToUpper(xlabel)
	text(img, (left+right)/2-textWidth(xl, 2)/2, h-22, xl, 2, black)
	text(img, 8, 12, strings.ToUpper(title), 2, black)

	for i, s := range ss {
		c := palette[i%len(palette)]
		// Earlier series are drawn wider, so that a later one lying on top of
		// an earlier one (equal results) leaves it visible on both sides.
		r := max(len(ss)-1-i, 0)
		for j, p := range s.points {
			x, y := px(p.x), py(p.y)
			fill(img, image.Rect(x-3-r, y-3-r, x+4+r, y+4+r), c)
			if j > 0 {
				q := s.points[j-1]
				thickLine(img, px(q.x), py(q.y), x, y, r, c)
			}
		}
		ly := top + 8 + i*18
		fill(img, image.Rect(left+14, ly, left+34, ly+10), c)
		text(img, left+42, ly, strings.ToUpper(s.name), 2, black)
	}
	return img
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, so ticks at fifths
// read well.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// line draws a one-pixel line with Bresenham's algorithm.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for {
		if (image.Point{x0, y0}).In(img.Bounds()) {
			img.SetRGBA(x0, y0, c)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

// thickLine draws a line 2r+1 pixels wide.
func thickLine(img *image.RGBA, x0, y0, x1, y1, r int, c color.RGBA) {
	for d := -r; d <= r; d++ {
		line(img, x0, y0+d, x1, y1+d, c)
		line(img, x0+d, y0, x1+d, y1, c)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// font is a 3×5 pixel font: each glyph is five rows of three columns.
var font = map[rune][5]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"}, '1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"}, '3': {"###", "..#", ".##", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"}, '5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"}, '7': {"###", "..#", ".#.", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"}, '9': {"###", "#.#", "###", "..#", "###"},
	'A': {".#.", "#.#", "###", "#.#", "#.#"}, 'B': {"##.", "#.#", "##.", "#.#", "##."},
	'C': {".##", "#..", "#..", "#..", ".##"}, 'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "##.", "#..", "###"}, 'F': {"###", "#..", "##.", "#..", "#.."},
	'G': {".##", "#..", "#.#", "#.#", ".##"}, 'H': {"#.#", "#.#", "###", "#.#", "#.#"},
	'I': {"###", ".#.", ".#.", ".#.", "###"}, 'J': {"..#", "..#", "..#", "#.#", ".#."},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"}, 'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#.#", "###", "###", "#.#", "#.#"}, 'N': {"##.", "#.#", "#.#", "#.#", "#.#"},
	'O': {".#.", "#.#", "#.#", "#.#", ".#."}, 'P': {"##.", "#.#", "##.", "#..", "#.."},
	'Q': {".#.", "#.#", "#.#", "##.", ".##"}, 'R': {"##.", "#.#", "##.", "#.#", "#.#"},
	'S': {".##", "#..", ".#.", "..#", "##."}, 'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"}, 'V': {"#.#", "#.#", "#.#", "#.#", ".#."},
	'W': {"#.#", "#.#", "###", "###", "#.#"}, 'X': {"#.#", "#.#", ".#.", "#.#", "#.#"},
	'Y': {"#.#", "#.#", ".#.", ".#.", ".#."}, 'Z': {"###", "..#", ".#.", "#..", "###"},
	'-': {"...", "...", "###", "...", "..."}, '.': {"...", "...", "...", "...", ".#."},
	',': {"...", "...", "...", ".#.", "#.."}, '=': {"...", "###", "...", "###", "..."},
	'/': {"..#", "..#", ".#.", "#..", "#.."}, '(': {".#.", "#..", "#..", "#..", ".#."},
	')': {".#.", "..#", "..#", "..#", ".#."}, ' ': {"...", "...", "...", "...", "..."},
	'?': {"###", "..#", ".#.", "...", ".#."},
}

// text draws s with its top-left corner at (x, y), each font pixel scale
// pixels wide; characters outside the font are drawn as '?'.
func text(img *image.RGBA, x, y int, s string, scale int, c color.RGBA) {
	for _, r := range s {
		g, ok := font[r]
		if !ok {
			g = font['?']
		}
		for row, bits := range g {
			for col, b := range bits {
				if b == '#' {
					fill(img, image.Rect(x+col*scale, y+row*scale, x+(col+1)*scale, y+(row+1)*scale), c)
				}
			}
		}
		x += 4 * scale
	}
}

func textWidth(s string, scale int) int {
	n := len([]rune(s))
	if n == 0 {
		return 0
	}
	return (4*n - 1) * scale
}
