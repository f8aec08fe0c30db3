package web

import (
	"math"
	"strconv"
)

// Trend charts of analytics, server-rendered SVG: one bar per month, laid
// out here, written by the template "trend-chart" (partials of
// analytics.html), colored by relais.css classes only (the page's CSP
// allows no inline style). A suppressed month draws no bar: a dashed
// outline and "< k" say why, and the figure is never in the markup. Each
// chart has its title and description, and the page gives the same
// figures in a table.

// trendPoint is one month of a series: its value, or nothing when the
// figure is suppressed or unknown.
type trendPoint struct {
	Label      string // the month, short ("janv. 25")
	Value      float64
	Text       string // the value as the page writes it
	Known      bool
	Suppressed bool
}

// trendBar is a laid-out month.
type trendBar struct {
	X, Y, W, H int
	// LabelX, LabelY place the month under the bar; ValueY the value over.
	LabelX, LabelY, ValueY int
	Label, Text            string
	Class                  string // bar, or bar-suppressed
	Suppressed, Known      bool
	Tip                    string
}

// trendGrid is a horizontal line of the scale.
type trendGrid struct {
	Y, TextX, TextY int
	Text            string
}

// trendChart is a laid-out chart.
type trendChart struct {
	ID            string // for the ids of its title and description
	Title, Desc   string
	Width, Height int
	Left, Right   int // the plot's horizontal bounds
	Base          int // the y of the zero line
	Bars          []trendBar
	Grid          []trendGrid
	// Empty: no month has a figure to draw.
	Empty bool
}

// Geometry of trend charts, in the units of their viewBox.
const (
	chartWidth  = 640
	chartHeight = 220
	chartLeft   = 44
	chartRight  = 12
	chartTop    = 22
	chartBottom = 34
)

// layoutTrend lays out a series of months as bars from zero to the
// largest value (rounded up to a nice scale).
func layoutTrend(id, title, desc string, points []trendPoint, suppressedTip string) trendChart {
	c := trendChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: chartHeight,
		Left: chartLeft, Right: chartWidth - chartRight, Base: chartHeight - chartBottom, Empty: true}
	top := 0.0
	for _, p := range points {
		if p.Known && !p.Suppressed {
			top = math.Max(top, p.Value)
			c.Empty = false
		}
	}
	scale := niceCeil(top)
	plotH := float64(c.Base - chartTop)
	for i := 0; i <= 4; i++ {
		v := scale * float64(i) / 4
		y := c.Base - int(math.Round(plotH*float64(i)/4))
		c.Grid = append(c.Grid, trendGrid{Y: y, TextX: c.Left - 6, TextY: y + 4, Text: trimFloat(v)})
	}
	n := max(1, len(points))
	slot := float64(c.Right-c.Left) / float64(n)
	w := int(math.Max(4, math.Round(slot*0.62)))
	for i, p := range points {
		x := c.Left + int(math.Round(slot*float64(i)+(slot-float64(w))/2))
		b := trendBar{X: x, W: w, LabelX: x + w/2, LabelY: c.Base + 16, Label: p.Label, Text: p.Text,
			Suppressed: p.Suppressed, Known: p.Known && !p.Suppressed}
		switch {
		case p.Suppressed:
			b.Class, b.H = "bar-suppressed", int(plotH/5)
			b.Y = c.Base - b.H
			b.Text = suppressedTip
			b.Tip = p.Label + " : " + suppressedTip
		case p.Known:
			b.Class = "bar"
			if scale > 0 {
				b.H = int(math.Round(plotH * p.Value / scale))
			}
			b.Y = c.Base - b.H
			b.Tip = p.Label + " : " + p.Text
		default:
			b.Tip = p.Label
		}
		b.ValueY = b.Y - 5
		c.Bars = append(c.Bars, b)
	}
	return c
}

// niceCeil rounds a positive value up to 1, 2, 2.5 or 5 times a power of
// ten (1 for 0).
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

// trimFloat writes a number with at most two decimals, without trailing
// zeros.
func trimFloat(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
