package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"time"
)

//go:embed assets
var assets embed.FS

// Asset returns an embedded file of the widget ("widget.js",
// "widget.css", "demo.css").
func Asset(name string) ([]byte, error) { return assets.ReadFile("assets/" + name) }

// asset serves an embedded file to any website: cacheable for a few
// minutes and revalidated by its ETag, so a new release reaches pages
// soon.
func asset(name, contentType string) http.Handler {
	data, err := Asset(name)
	if err != nil {
		panic("web: missing asset " + name) // a build mistake
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("ETag", etag)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		// Public files: readable by any page's scripts too (tools such as
		// accessibility checkers read stylesheets).
		h.Set("Access-Control-Allow-Origin", "*")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	})
}

// CSP is the Content Security Policy of the demo page: the strictest a
// page embedding the widget from its own origin can have. A town's site
// that embeds it from the bot's address adds that address to script-src,
// style-src and connect-src.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var demoPage = template.Must(template.New("demo").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Name}} — twin towns (twinbot demo)</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header class="demo-header"><p class="demo-logo">{{.Name}}</p><p>A sample town page</p></header>
<main>
<h1>{{.Name}} and its twin towns</h1>
<p>This page shows the twinbot chat widget as a town's website would embed it. Press
the button in the corner (or Tab to it and press Enter), then ask about partner towns,
exchanges and twinning news in Polish, Slovenian, English, German, Ukrainian or Czech.</p>
<h2>Try</h2>
<ul>
<li>Jakie są miasta partnerskie?</li>
<li>Welche Partnerstädte hat {{.Name}}?</li>
<li>Are there any upcoming exchanges?</li>
<li>/signup, /mydata, /forget, /lang</li>
</ul>
<h2>On your website</h2>
<p>One line before <code>&lt;/body&gt;</code>:</p>
<pre><code>&lt;script src="{{.Base}}/widget.js" data-town="{{.ID}}" defer&gt;&lt;/script&gt;</code></pre>
</main>
<script src="/widget.js" data-town="{{.ID}}" defer></script>
</body>
</html>
`))

// demo serves the sample town page that embeds the widget.
func (a *Adapter) demo(w http.ResponseWriter, r *http.Request) {
	t := a.demoTown()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	var buf bytes.Buffer
	if err := demoPage.Execute(&buf, map[string]string{"ID": t.ID, "Name": t.Name, "Base": scheme + "://" + r.Host}); err != nil {
		http.Error(w, "demo page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

func (a *Adapter) demoTown() Town {
	if t, ok := a.towns[a.cfg.DemoTown]; ok {
		return t
	}
	if len(a.cfg.Towns) > 0 {
		return a.cfg.Towns[0]
	}
	return Town{ID: "", Name: "Our town"}
}
