package bot_test

import (
	"context"
	"fmt"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// A sign-up is a conversation: each answer is checked, then the next
// question is asked, until a summary to confirm.
func Example_signup() {
	kb, _ := knowledge.Load(knowledge.Default())
	now := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	b, _ := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: now, Signups: bot.NewMemSignups(now)})
	for _, text := range []string{"/signup demo-jesenice-nagold-2027", "Ana Novak", "1.3.2011", "ana@", "ana@example.org", "yes"} {
		r := b.Handle(context.Background(), bot.Message{Platform: "example", Chat: "1", User: "1", Text: text, Lang: "en"})
		fmt.Printf("> %s\n%s\n", text, r.Text[len(r.Text)-1])
	}
	// Output:
	// > /signup demo-jesenice-nagold-2027
	// What is the participant's full name?
	// > Ana Novak
	// What is the participant's date of birth? (for example 2010-05-17)
	// > 1.3.2011
	// An e-mail address or phone number where we can reach you?
	// > ana@
	// That does not look like an e-mail address (like name@example.org).
	// > ana@example.org
	// Jesenice will process these data only to organize this exchange and will delete them afterwards. Do you agree to the processing of these personal data?
	// > yes
	// Please check your sign-up:
}
