package discord

import (
	"errors"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// ErrGatewayDown is GatewayReady's answer while the gateway connection is
// lost: discordgo reconnects by itself, but meanwhile no message, button
// or slash command reaches the bot (HTTP interactions aside), though
// every REST call may still succeed.
var ErrGatewayDown = errors.New("discord: the gateway connection is down")

// gateway follows the state of the gateway connection from discordgo's
// Connect and Disconnect events.
type gateway struct {
	mu      sync.Mutex
	held    bool // Run holds the gateway (not stopping)
	up      bool
	changed chan struct{} // a value after each change (tests wait on it)
}

func (g *gateway) set(f func()) {
	g.mu.Lock()
	f()
	g.mu.Unlock()
	select {
	case g.changed <- struct{}{}:
	default:
	}
}

func (a *Adapter) onConnect(*discordgo.Session, *discordgo.Connect) {
	a.gw.set(func() { a.gw.up = true })
}

func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	a.gw.set(func() { a.gw.up = false })
}

// holdGateway records whether Run holds the gateway.
func (a *Adapter) holdGateway(held bool) {
	a.gw.set(func() { a.gw.held = held })
}

// GatewayReady reports ErrGatewayDown while Run holds the gateway and its
// connection is not up (before the first connection too); nil otherwise:
// an adapter without a token, or one that is not running (another replica
// holds the gateway, or it is stopping), has no gateway to be down.
func (a *Adapter) GatewayReady() error {
	a.gw.mu.Lock()
	defer a.gw.mu.Unlock()
	if a.gw.held && !a.gw.up {
		return ErrGatewayDown
	}
	return nil
}
