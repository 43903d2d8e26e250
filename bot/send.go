package bot

import "context"

// Address is where to send a message nobody asked for just now (an
// announcement, a note to organizers): a platform's chat, and the user in
// it.
type Address struct {
	Platform string `json:"platform"`
	Chat     string `json:"chat"`
	User     string `json:"user"`
}

// Sender delivers a reply to an address. Each platform adapter implements
// it; the core uses it for announcements and organizer notes.
type Sender interface {
	Send(ctx context.Context, to Address, r Reply) error
}

// Handler is the core as adapters see it: a message in, a reply out.
type Handler interface {
	Handle(ctx context.Context, m Message) Reply
}

var _ Handler = (*Bot)(nil)
