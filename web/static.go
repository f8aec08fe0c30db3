package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

//go:embed static
var staticFS embed.FS

// staticFile is an embedded asset and the hash that versions its URL.
type staticFile struct {
	data []byte
	hash string
}

// statics holds every asset of web/static, by name.
var statics = func() map[string]staticFile {
	out := map[string]staticFile{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p[len("static/"):]] = staticFile{data: b, hash: hex.EncodeToString(sum[:])[:12]}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}()

// staticURL returns the versioned URL of an asset, for templates.
func staticURL(name string) string {
	f, ok := statics[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.hash
}

// serveStatic serves an asset. A URL with the current version is cached
// for a year; any other is revalidated with its ETag.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	f, ok := statics[name]
	if !ok || path.Clean(name) != name {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	}
	h.Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
}
