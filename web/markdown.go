package web

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// md converts markdown to HTML. Raw HTML in the source is not rendered
// (goldmark's default: without html.WithUnsafe it is omitted).
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithRendererOptions(html.WithHardWraps()),
)

// sanitizer keeps the HTML that user content may hold. Links are
// nofollow; links to other sites open in a new tab with noopener.
var sanitizer = bluemonday.UGCPolicy().
	RequireNoFollowOnLinks(true).
	AddTargetBlankToFullyQualifiedLinks(true)

// markdown renders a post's markdown as sanitized HTML.
func markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return mentionHTML(template.HTML(sanitizer.SanitizeBytes(buf.Bytes())))
}
