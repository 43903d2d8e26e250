// Package bot is twinbot's adapter-neutral core: a resident's message in, a
// structured Reply out. It knows no platform: the adapters (bot/telegram,
// bot/discord, bot/web, bot/console) import it, never the reverse, and the
// binary (cmd/twinbot) wires them together.
//
// # One message, from Telegram to the reply
//
// Take "Which towns is Opoczno twinned with?" sent to the bot on Telegram.
//
//  1. The adapter receives the update (bot/telegram: poll or the webhook
//     handler, then Adapter.handle), claims it in its SeenStore so that a
//     redelivery is answered once, and turns it into a Message: platform,
//     chat, user, text and the app's locale. Nothing platform-specific goes
//     further.
//  2. Bot.Handle (bot.go; in twinbot run it is wrapped by bot/followup,
//     which counts, asks for ratings and hands over to a person) reads the person's Prefs from the PrefStore under
//     UserKey, takes the conversation's state (its town, a pending "which
//     town?" question, a sign-up in progress) and decides what the message
//     is: a command ("/partners", commands.go), an answer in a sign-up
//     (signup_flow.go), or a question.
//  3. A question goes to bot/understand, which returns a Frame: the intent
//     (partners_list), the towns, partners and countries named, the
//     filters, the words it could not explain, and the language. Bot.langFor
//     (i18n.go) picks the reply's language from the forced one, the saved
//     one, the question's and the locale.
//  4. Bot.answer (answer.go) reads what the reply depends on beyond the
//     knowledge base, with the request's context: the conversation's town
//     and, for exchanges, the sign-up counts. It hands them to a composer
//     (compose.go), which reads only a view (view.go: the knowledge base,
//     its news, the settings), the catalogs' language and the clock's
//     reading, and calls nothing back. The composer dispatches on the
//     intent: partners, agreements and facts in partners.go, news in
//     news.go, the towns' pages in pages.go, exchanges in exchanges.go. It
//     bounds the reply (a few chat messages at most), notes a text shown in
//     another language, and leaves a change of state for Bot.answer to
//     apply: the question to keep while "which town?" waits for a button
//     (Bot.resume takes it up again).
//  5. The Reply (reply.go) goes back to the adapter: title, paragraphs,
//     items, cards, links, notes and Choices (quick replies whose Data comes
//     back as the next message). The adapter renders it its own way
//     (Telegram HTML with an inline keyboard), sends it, and records the
//     update as answered.
//
// # Files by subject
//
//   - bot.go: Message, Config, Bot, the conversation state, Handle.
//   - view.go: what replies are composed from; compose.go, answer.go: the
//     composer and the dispatch of understood questions; partners.go,
//     news.go, pages.go, exchanges.go: the answers by subject.
//   - commands.go: the slash commands; rights.go: /mydata, /forget,
//     /subscribe and notes to organizers; admin.go: organizers' commands.
//   - signup_flow.go: the sign-up conversation; signup_answers.go: checking
//     each answer (names, dates of birth, contacts, consent age, yes or no);
//     signup_handover.go: a sign-up handed over between a person's
//     conversations (a group and the private chat), and its locking;
//     codes.go: sign-up reference codes.
//   - announce.go, reminders.go, pacer.go, outbox.go: announcements of
//     exchanges to subscribers, reminders, paced within each platform's
//     limits (which the adapters give).
//   - stores.go: the contracts the core needs of a store (PrefStore,
//     SignupStore, AnnounceStore, ConvStore); memprefs.go, memsignups.go,
//     updates.go: in-memory stores for the terminal and the tests;
//     conversations.go: conversation state kept in a ConvStore, for
//     replicas.
//   - i18n.go: catalogs (go-i18n) and the reply's language; reply.go: the
//     Reply; send.go: Sender and Handler, the adapters' side; names.go,
//     text.go, secret.go: UserKey, BaseLang, shortening, Secret.
package bot
