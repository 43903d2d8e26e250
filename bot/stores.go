package bot

import (
	"context"
	"errors"
	"time"

	"github.com/twinbot/twinbot/knowledge"
)

// PrefStore keeps users' choices across restarts. user is
// "<platform>:<user id>".
type PrefStore interface {
	Prefs(ctx context.Context, user string) (Prefs, error)
	SetPrefs(ctx context.Context, user string, p Prefs) error
}

// Sign-up statuses.
const (
	StatusConfirmed = "confirmed"
	StatusWaitlist  = "waitlist"
	StatusWithdrawn = "withdrawn"
)

// Keys of Signup.Answers beyond the knowledge.Field* names.
const (
	// AnswerGuardianContact is the parent's or guardian's e-mail or phone.
	AnswerGuardianContact = "guardian_contact"
	// AnswerConsent holds when consent was given (RFC 3339); AnswerPrivacyURL
	// the privacy notice shown with the question.
	AnswerConsent    = knowledge.FieldConsent
	AnswerPrivacyURL = "privacy_url"
)

// Errors of a SignupStore that callers branch on.
var (
	// ErrSignupExists: the person already has an active sign-up for the
	// exchange (AddSignup returns it with the error).
	ErrSignupExists = errors.New("already signed up for this exchange")
	// ErrFull: every place is taken and the waiting list was not asked for.
	ErrFull = errors.New("the exchange is full")
)

// Signup is one person's sign-up for an exchange.
type Signup struct {
	// Code is the short reference the person and the organizers quote.
	Code     string `json:"code"`
	Exchange string `json:"exchange"`
	// User is "<platform>:<user id>"; empty once withdrawn (the data are
	// erased, only the code and status remain).
	User string `json:"user,omitempty"`
	// To is where to tell the person about changes (a freed place).
	To       Address `json:"to"`
	Lang     string  `json:"lang,omitempty"`
	Status   string  `json:"status"`
	Position int     `json:"position,omitempty"` // on the waiting list, from 1
	// Answers are what the person told, keyed by knowledge.Field* and the
	// Answer* names.
	Answers map[string]string `json:"answers,omitempty"`
	Created time.Time         `json:"created"`
	Updated time.Time         `json:"updated"`
}

// Subscription asks for a message when an exchange opens for sign-up: of
// any town (Town ""), of one town, or with one partner of it.
type Subscription struct {
	User    string  `json:"user"`
	To      Address `json:"to"`
	Lang    string  `json:"lang"`
	Town    string  `json:"town,omitempty"`
	Partner string  `json:"partner,omitempty"`
}

// Matches reports whether s asks for news of e.
func (s Subscription) Matches(e *knowledge.Exchange) bool {
	if s.Town == "" {
		return true
	}
	if s.Town != e.Town {
		return false
	}
	if s.Partner == "" {
		return true
	}
	for _, p := range e.Partners {
		if p == s.Partner {
			return true
		}
	}
	return false
}

// SignupStore keeps sign-ups and subscriptions. Every method is atomic: in
// particular AddSignup never gives more than capacity confirmed places,
// whatever runs at the same time, and a sign-up it returned survives a
// crash. The store package implements it on SQLite; MemSignups in memory.
type SignupStore interface {
	// AddSignup stores s with a fresh Code: confirmed while fewer than
	// capacity (0: unlimited) are confirmed, else on the waiting list when
	// waitlist is true, else ErrFull. A person with an active sign-up for
	// the exchange gets that one and ErrSignupExists.
	AddSignup(ctx context.Context, s Signup, capacity int, waitlist bool) (Signup, error)
	// FindSignup returns the person's active (confirmed or waiting) sign-up.
	FindSignup(ctx context.Context, exchange, user string) (Signup, bool, error)
	// Taken counts an exchange's confirmed sign-ups.
	Taken(ctx context.Context, exchange string) (int, error)
	// Signups lists an exchange's sign-ups in order of arrival, withdrawn
	// ones (without data) included.
	Signups(ctx context.Context, exchange string) ([]Signup, error)
	// UserSignups lists a person's active sign-ups.
	UserSignups(ctx context.Context, user string) ([]Signup, error)
	// Forget withdraws the person's sign-ups erasing their data, deletes
	// their subscriptions and queued announcements, cancels the offers
	// made to them, and offers each freed place to the first on the
	// waiting list (capacity: places by exchange; see OfferStore). It
	// returns the withdrawn sign-ups and those offered a place.
	Forget(ctx context.Context, user string, capacity map[string]int) (withdrawn, offered []Signup, err error)
	// Subscribe adds or refreshes a subscription.
	Subscribe(ctx context.Context, s Subscription) error
	// Unsubscribe deletes every subscription of the person.
	Unsubscribe(ctx context.Context, user string) error
	// Subscriptions lists the person's subscriptions.
	Subscriptions(ctx context.Context, user string) ([]Subscription, error)
}

// Delivery is one announcement of an exchange to one subscriber.
type Delivery struct {
	ID       int64
	Exchange string
	Sub      Subscription
	State    string
}

// AnnounceStore records announcements and each of their deliveries, so
// that a restart resumes a broadcast without sending anyone the same
// announcement twice.
type AnnounceStore interface {
	// QueueAnnouncement records that exchange is announced, with one
	// pending delivery for each person having a subscription match
	// accepts, all in one transaction. It does nothing and returns false
	// when the exchange was announced before.
	QueueAnnouncement(ctx context.Context, exchange string, match func(Subscription) bool) (bool, error)
	// PendingDeliveries lists up to limit pending deliveries with an id
	// above after, in id order.
	PendingDeliveries(ctx context.Context, after int64, limit int) ([]Delivery, error)
	// MoveDelivery changes a delivery from state from to state to, and
	// reports false when it was not in state from (taken by another
	// worker, or deleted by /forget).
	MoveDelivery(ctx context.Context, id int64, from, to string) (bool, error)
	// AbandonSending marks "unknown" the deliveries a stopped process left
	// "sending".
	AbandonSending(ctx context.Context) (int, error)
}

// ConvStore keeps conversations' state between messages outside the
// process (store.Store), so that the next message of a conversation (the
// next answer of a half-finished sign-up) may be handled by another
// replica, or after a restart. Without one (the terminal, tests) the state
// lives in memory only.
//
// The state is the core's own, opaque to the store: data is JSON, nil
// when the conversation has nothing to remember.
type ConvStore interface {
	// LoadConv returns the saved state of conversation key (nil when none
	// or expired).
	LoadConv(ctx context.Context, key string) ([]byte, error)
	// SaveConv saves it (deletes it when data is nil) until expires; user
	// ("telegram:42") lets /forget erase it.
	SaveConv(ctx context.Context, key, user string, data []byte, expires time.Time) error
}
