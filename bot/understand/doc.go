// Package understand turns a resident's question into a Frame: what it is
// about, with which filters, what is asked, and which words stayed
// unexplained. Answering (package bot) executes the frame against the
// knowledge base; nothing here composes a reply.
//
// One question, step by step: "Ile miast partnerskich ma Żywiec łącznie z
// krajowymi?" (how many partner towns does Żywiec have, domestic ones
// included?).
//
//  1. Words. The text is split into words and folded (lowercase, no
//     diacritics, Cyrillic transliterated): ile, miast, partnerskich, ma,
//     zywiec, lacznie, z, krajowymi.
//  2. Names. The knowledge base's name index finds "zywiec" (the town
//     Żywiec); it would find "Żywcem" or "Живець" as well, and a partner or
//     a place of a news item the same way.
//  3. Lexicons. Each language's words file (locales/words/<lang>.yaml) is
//     matched: "ile" is a how-many question, "partnerskich" a cue of the
//     partners intent, "miast" a town noun, "lacznie" the filter
//     "including", "krajowymi" the relation "domestic", "ma" and "z" stop
//     words. Stems match inflected forms; words of five letters or more
//     tolerate a typo.
//  4. Language. The words that only one language explains decide it
//     (Polish here); ties go to the app's language and then the town's.
//  5. Filters. Countries, relations, a time ("w 2005", "since 2010", "in
//     the 2000s", "before 1995"), an order ("the first partner"),
//     "including" and "all towns" are read into the frame. A country next
//     to a name of that country only describes it ("the Slovak Bytča").
//  6. Unexplained words. Content words neither a lexicon nor a name
//     explains must be found in a text of the knowledge base: Passages is a
//     sentence index of every description, page, cooperation point, news
//     item and exchange, in every language it holds. The best window of up
//     to three sentences that holds all of them is the frame's Passage; when
//     no text holds them, they are the frame's Uncovered words and the bot
//     says it does not know, naming them. Here every word is explained.
//  7. Intent. Rules read the frame, most specific first: a how-many cue
//     with a town is a count (partner_count); "including" makes the relation
//     widen rather than filter, so all of Żywiec's partners are counted.
//
// A new kind of question is one rule in rules, one answer function in bot
// and the words of the words files.
package understand
