package web

import (
	"strconv"
	"unicode/utf8"

	"relais"
)

// Charts as server-rendered SVG: the Go code lays them out (positions,
// sizes, classes, texts); the templates write the elements, escaped like
// any other text. Colors and fonts come from relais.css classes, never
// from inline styles, so that the page keeps its strict CSP. Each chart
// carries its title and description for role="img", and the page gives
// the same figures in a table.

// svgBar is one horizontal bar.
type svgBar struct {
	X, Y, W, H int
	Class      string
}

// svgPath is a connector between two nodes.
type svgPath struct {
	D string
}

// svgNode is a box of a tree chart with its texts and bars.
type svgNode struct {
	Class      string // node node-company, node node-objective or node node-workstream
	X, Y, W, H int
	TextX      int
	TextY      int
	SubY       int
	Label      string // the title, shortened to fit
	Sub        string // the figures under it
	Tip        string // the whole title and figures, for the <title> tooltip
	Bars       []svgBar
	Warn       bool // a budget committed or spent beyond what was planned
}

// svgTree is a tree chart drawn top-down as an indented outline.
type svgTree struct {
	Width, Height int
	Nodes         []svgNode
	Links         []svgPath
	// Legend is the key of the bars, at the bottom.
	Legend []svgLegendItem
}

// svgLegendItem is one entry of a chart's key.
type svgLegendItem struct {
	X, Y, TextX, TextY int
	Class              string
	Text               string
}

// Geometry of the tree chart, in the units of its viewBox.
const (
	treeWidth   = 960
	treeIndent  = 28
	treePad     = 8
	treeBarX    = 620
	treeBarW    = 320
	treeBarH    = 8
	treeBarGap  = 3
	treeRowGap  = 8
	treeGroupGp = 14
)

// treeItem is a node to lay out: its level (0 company objective, 1 plan
// objective, 2 workstream), texts and budget.
type treeItem struct {
	Level                     int
	Title, Sub, Tip           string
	Planned, Committed, Spent relais.Amount
	Warn                      bool
}

// treeHeights are the heights of the nodes by level.
var treeHeights = [3]int{46, 50, 46}

// treeClasses are the classes of the nodes by level.
var treeClasses = [3]string{"node node-company", "node node-objective", "node node-workstream"}

// layoutTree places the items, in order, as an outline: each under the
// nearest previous item of the level above, linked to it. Bars share one
// scale: the largest budget figure of any node.
func layoutTree(items []treeItem, legend []string) svgTree {
	var scale relais.Amount
	for _, it := range items {
		scale = max(scale, it.Planned, it.Committed, it.Spent)
	}
	t := svgTree{Width: treeWidth}
	y := treePad
	parents := [3]int{-1, -1, -1} // index in t.Nodes of the last node of each level
	for i, it := range items {
		lvl := min(max(it.Level, 0), 2)
		if lvl == 0 && i > 0 {
			y += treeGroupGp
		}
		x := treePad + lvl*treeIndent
		h := treeHeights[lvl]
		n := svgNode{Class: treeClasses[lvl], X: x, Y: y, W: treeWidth - treePad - x, H: h, TextX: x + 12, TextY: y + 19, SubY: y + 37,
			Sub: it.Sub, Tip: it.Tip, Warn: it.Warn}
		// The title stops before the bars; about 7.6 units per character.
		n.Label = svgShorten(it.Title, (treeBarX-n.TextX-12)*10/76)
		top := y + (h-(3*treeBarH+2*treeBarGap))/2
		for j, b := range []struct {
			v     relais.Amount
			class string
		}{{it.Planned, "bar bar-planned"}, {it.Committed, "bar bar-committed"}, {it.Spent, "bar bar-spent"}} {
			class := b.class
			if j > 0 && b.v > it.Planned {
				class += " over"
			}
			n.Bars = append(n.Bars, svgBar{X: treeBarX, Y: top + j*(treeBarH+treeBarGap), W: svgLength(b.v, scale, treeBarW), H: treeBarH, Class: class})
		}
		if lvl > 0 && parents[lvl-1] >= 0 {
			p := t.Nodes[parents[lvl-1]]
			ax := p.X + 14
			t.Links = append(t.Links, svgPath{D: "M" + strconv.Itoa(ax) + " " + strconv.Itoa(p.Y+p.H) + " V" + strconv.Itoa(y+h/2) +
				" H" + strconv.Itoa(x)})
		}
		parents[lvl] = len(t.Nodes)
		for k := lvl + 1; k < 3; k++ {
			parents[k] = -1
		}
		t.Nodes = append(t.Nodes, n)
		y += h + treeRowGap
	}
	// The key of the bars.
	y += 6
	x := treeBarX - 240
	for i, text := range legend {
		class := [3]string{"bar bar-planned", "bar bar-committed", "bar bar-spent"}[min(i, 2)]
		t.Legend = append(t.Legend, svgLegendItem{X: x, Y: y, TextX: x + 18, TextY: y + 11, Class: class, Text: text})
		x += 190
	}
	t.Height = y + 12 + treePad
	return t
}

// svgLength is the length of a bar for v on a scale where top fills full;
// a figure above 0 always shows.
func svgLength(v, top relais.Amount, full int) int {
	if v <= 0 || top <= 0 {
		return 0
	}
	n := int(int64(v) * int64(full) / int64(top))
	return min(max(n, 2), full)
}

// svgShorten cuts s to at most n characters, with an ellipsis when cut.
func svgShorten(s string, n int) string {
	if n < 2 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// svgMatrix is a grid of filled or empty cells: rows × columns.
type svgMatrix struct {
	Width, Height int
	Columns       []svgColumn
	Rows          []svgRow
}

// svgColumn is a column's header: a short code, the whole name in its
// tooltip.
type svgColumn struct {
	X, Y  int
	Label string
	Tip   string
}

// svgRow is a row's label and cells.
type svgRow struct {
	Y, TextY int
	Label    string
	Tip      string
	Class    string
	Cells    []svgCell
}

// svgCell is one cell of the grid.
type svgCell struct {
	X, Y, Size int
	Class      string // plan-cell, or plan-cell filled
	Tip        string
}

// Geometry of the matrix.
const (
	matrixLabelW = 210
	matrixCell   = 34
	matrixHead   = 34
	matrixPad    = 6
)

// matrixRow is a row to lay out.
type matrixRow struct {
	Label, Tip, Class string
	Filled            []bool
	Tips              []string
}

// layoutMatrix places the columns (their codes and tooltips) and the rows.
func layoutMatrix(codes, tips []string, rows []matrixRow) svgMatrix {
	m := svgMatrix{Width: matrixLabelW + len(codes)*matrixCell + matrixPad, Height: matrixHead + len(rows)*matrixCell + matrixPad}
	for i, c := range codes {
		m.Columns = append(m.Columns, svgColumn{X: matrixLabelW + i*matrixCell + matrixCell/2, Y: matrixHead - 10, Label: c, Tip: tips[i]})
	}
	for j, r := range rows {
		y := matrixHead + j*matrixCell
		row := svgRow{Y: y, TextY: y + matrixCell/2 + 5, Label: svgShorten(r.Label, 26), Tip: r.Tip, Class: r.Class}
		for i := range codes {
			c := svgCell{X: matrixLabelW + i*matrixCell + 3, Y: y + 3, Size: matrixCell - 6, Class: "plan-cell"}
			if i < len(r.Filled) && r.Filled[i] {
				c.Class = "plan-cell filled"
			}
			if i < len(r.Tips) {
				c.Tip = r.Tips[i]
			}
			row.Cells = append(row.Cells, c)
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}
