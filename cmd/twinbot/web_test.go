package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWebFlags(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		env        map[string]string
		configured bool
		origins    string
	}{
		{"off by default", nil, nil, false, ""},
		{"--web", []string{"--web"}, nil, true, ""},
		{"TWINBOT_WEB", nil, map[string]string{"TWINBOT_WEB": "true"}, true, ""},
		{"origins imply the widget", nil, map[string]string{"TWINBOT_WEB_ORIGINS": "https://www.zywiec.pl"}, true, "https://www.zywiec.pl"},
		{"a flag beats the environment", []string{"--web-origins", "https://a.example"}, map[string]string{"TWINBOT_WEB_ORIGINS": "https://b.example"}, true, "https://a.example"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := newFlags("run", &bytes.Buffer{})
			var f webFlags
			f.register(fs)
			if err := parseFlags(fs, c.args, func(k string) string { return c.env[k] }); err != nil {
				t.Fatal(err)
			}
			if f.configured() != c.configured || f.origins != c.origins {
				t.Errorf("configured %v, origins %q; want %v, %q", f.configured(), f.origins, c.configured, c.origins)
			}
		})
	}
}

func TestWebKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := webKey(dir)
	if err != nil || len(k1) != 32 {
		t.Fatalf("new key: %d bytes, %v", len(k1), err)
	}
	st, err := os.Stat(filepath.Join(dir, "web-session.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", st, err)
	}
	k2, err := webKey(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("the key changed across starts: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "web-session.key"), []byte("short\n"), 0o600)
	if _, err := webKey(dir); err == nil {
		t.Error("a broken key file was accepted")
	}
}
