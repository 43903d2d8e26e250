package discord

import (
	"errors"
	"testing"
	"time"
)

// waitGateway waits until a.GatewayReady() gives want (nil or
// ErrGatewayDown), on the adapter's change notices.
func waitGateway(t *testing.T, a *Adapter, want error) {
	t.Helper()
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		got := a.GatewayReady()
		if want == nil && got == nil || want != nil && errors.Is(got, want) {
			return
		}
		select {
		case <-a.gw.changed:
		case <-deadline.C:
			t.Fatalf("GatewayReady() = %v, want %v", a.GatewayReady(), want)
		}
	}
}

// TestGatewayReadiness: a dropped gateway connection that cannot be
// re-established makes GatewayReady fail (so /readyz does) until it is
// back; a stopped adapter has no gateway to be down.
func TestGatewayReadiness(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	a, cancel, done := gatewayBot(t, f, markdownHandler(false))
	waitGateway(t, a, nil)
	f.refuse.Store(true)
	f.drop <- struct{}{}
	waitGateway(t, a, ErrGatewayDown)
	f.refuse.Store(false) // discordgo retries after a second
	waitGateway(t, a, nil)
	cancel()
	select {
	case err := <-done:
		done <- err // for gatewayBot's cleanup
	case <-time.After(wait):
		t.Fatal("Run did not return")
	}
	if err := a.GatewayReady(); err != nil {
		t.Errorf("after Run: %v", err)
	}
}
