package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version says which build this is: the module version (set by `go install
// …@v1.2.3`), the commit and its date and whether the tree had changes (set
// by `go build` in a git checkout), and the Go version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "twinbot (no build information) " + runtime.Version()
	}
	return versionOf(info)
}

// versionOf formats build information: "twinbot v1.2.3 (commit 0123abcd,
// 2026-12-02T09:00:00Z, modified) go1.26.8".
func versionOf(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := map[string]string{}
	for _, kv := range info.Settings {
		s[kv.Key] = kv.Value
	}
	var vcs []string
	if c := s["vcs.revision"]; c != "" {
		if len(c) > 12 {
			c = c[:12]
		}
		vcs = append(vcs, "commit "+c)
	}
	if t := s["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if s["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	out := "twinbot " + v
	if len(vcs) > 0 {
		out += " (" + strings.Join(vcs, ", ") + ")"
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s %s", out, goVersion)
}
