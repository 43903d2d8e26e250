package bot_test

import (
	"context"
	"fmt"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// A question in any of the six languages becomes a structured reply that
// every adapter renders its own way; PlainText is the terminal's rendering.
func ExampleBot_Handle() {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		panic(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: now})
	if err != nil {
		panic(err)
	}
	r := b.Handle(context.Background(), bot.Message{Platform: "example", Chat: "1", User: "1", Text: "Which towns is Opoczno twinned with?"})
	fmt.Println(r.Lang, r.Intent)
	fmt.Println(r.PlainText())
	// Output:
	// en partners_list
	// Partners of Opoczno — Twin towns
	// • Opočno (Czechia) — since 2002
	// • Bytča (Slovakia) — since 1999
	//
	// Partners of Opoczno — Partner in the same country
	// • Jarocin (Poland)
	//
	// Partners of Opoczno — Regional cooperation
	// • Vilnius District Municipality (Lithuania) — since 2002
	// • Rudamina (Lithuania)
	// • Sudervė (Lithuania)
}
