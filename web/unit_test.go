package web

import (
	"strings"
	"testing"
)

func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"":                              "/",
		"/":                             "/",
		"/spaces/3":                     "/spaces/3",
		"/spaces/3?before=9":            "/spaces/3?before=9",
		"/search?q=caf%C3%A9#top":       "/search?q=caf%C3%A9#top",
		"//evil.example":                "/",
		"///evil.example":               "/",
		"/\\evil.example":               "/",
		"\\/evil.example":               "/",
		"https://evil.example/":         "/",
		"http:/evil.example":            "/",
		"javascript:alert(1)":           "/",
		"evil.example":                  "/",
		" /spaces/1":                    "/",
		"/\t/evil.example":              "/",
		"/\n/evil.example":              "/",
		"/%2F/evil.example":             "/",
		"/a\x7f":                        "/",
		"/" + strings.Repeat("a", 3000): "/",
	} {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    []string
		mustNot []string
	}{
		{"**gras** et *italique*", []string{"<strong>gras</strong>", "<em>italique</em>"}, nil},
		{"<script>alert(1)</script>", nil, []string{"<script", "alert(1)"}},
		{"a <b onclick=\"x()\">b</b>", nil, []string{"onclick", "<b "}},
		{"[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"[x](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:"}},
		{"[site](https://example.com)", []string{`<a href="https://example.com" rel="nofollow noopener" target="_blank">site</a>`}, nil},
		{"[local](/spaces/1)", []string{`href="/spaces/1"`, `rel="nofollow"`}, nil},
		{"https://example.com/auto", []string{`href="https://example.com/auto"`}, nil},
		{"ligne 1\nligne 2", []string{"ligne 1<br>"}, nil},
		{"| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"<iframe src=\"https://evil.example\"></iframe>", nil, []string{"<iframe"}},
		{"![img](https://example.com/x.png \"t\")", nil, []string{"onerror"}},
		{"x <style>body{}</style>", nil, []string{"<style"}},
	} {
		got := string(markdown(c.in))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("markdown(%q) = %q: lacks %q", c.in, got, w)
			}
		}
		for _, w := range c.mustNot {
			if strings.Contains(got, w) {
				t.Errorf("markdown(%q) = %q: holds %q", c.in, got, w)
			}
		}
	}
}
