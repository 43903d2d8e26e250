package metrics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// retryWindow is how soon after a failure the same call counts as a retry.
const retryWindow = 10 * time.Minute

// Transport is an http.RoundTripper that counts a platform's API calls,
// their failures by kind and the calls repeated after a failure, and
// remembers whether the platform's last answer was a working one
// (readiness). It sees only methods and paths, which it keeps in memory
// to recognize retries and never exports (a Telegram path holds the token).
type Transport struct {
	m        *Metrics
	platform string
	base     http.RoundTripper

	mu      sync.Mutex
	failed  map[string]time.Time // method and path → last failure
	lastErr string               // kind of the last call's failure, "" when it worked
}

// Transport wraps base (nil: http.DefaultTransport) to count platform's API
// calls.
func (m *Metrics) Transport(platform string, base http.RoundTripper) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &Transport{m: m, platform: platform, base: base, failed: map[string]time.Time{}}
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.Path
	now := t.m.now()
	t.mu.Lock()
	if at, ok := t.failed[key]; ok {
		delete(t.failed, key)
		if now.Sub(at) < retryWindow {
			t.m.retries.WithLabelValues(t.platform).Inc()
		}
	}
	t.mu.Unlock()
	t.m.apiRequests.WithLabelValues(t.platform).Inc()
	resp, err := t.base.RoundTrip(r)
	kind := ""
	switch {
	case err != nil:
		if errors.Is(r.Context().Err(), context.Canceled) {
			return resp, err // we stopped it: not the platform's fault
		}
		kind = "network"
	case resp.StatusCode == http.StatusTooManyRequests:
		kind = "429"
	case resp.StatusCode >= 500:
		kind = "5xx"
	case resp.StatusCode >= 400:
		kind = "4xx"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if kind != "" {
		t.m.apiErrors.WithLabelValues(t.platform, kind).Inc()
		if kind == "4xx" { // about one request (a blocked user): the platform works
			t.lastErr = ""
		} else {
			t.failed[key] = now
			t.lastErr = kind
		}
		if len(t.failed) > 1000 {
			for k, at := range t.failed {
				if now.Sub(at) >= retryWindow {
					delete(t.failed, k)
				}
			}
		}
	} else {
		t.lastErr = ""
	}
	return resp, err
}

// Ready reports an error when the platform's last answer was a failure
// (network, 5xx, 429).
func (t *Transport) Ready() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lastErr != "" {
		return fmt.Errorf("%s: last API call failed (%s)", t.platform, t.lastErr)
	}
	return nil
}
