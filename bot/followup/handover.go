package followup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/fold"
)

// Handover is a question a resident asked to hand to a person: the
// twinning office of a town. Where to answer (To) is kept only until the
// office answers or the resident says /forget.
type Handover struct {
	ID       int64
	Town     string
	To       bot.Address // the resident's chat
	User     string      // "<platform>:<user id>", for /forget
	Lang     string
	Question string
	Created  time.Time
	// FirstName is the person's first name as the platform gives it: in
	// the office's note only (the consent says so), never stored.
	FirstName string
}

// HandoverStore keeps hand-overs until they are answered.
type HandoverStore interface {
	AddHandover(ctx context.Context, h Handover) (int64, error)
	// Handover returns an open hand-over.
	Handover(ctx context.Context, id int64) (Handover, bool, error)
	// CloseHandover deletes the hand-over once answered.
	CloseHandover(ctx context.Context, id int64) error
	// ForgetHandovers deletes the person's open hand-overs.
	ForgetHandovers(ctx context.Context, user string) (int, error)
}

// HandoverObserver counts hand-overs (the metrics).
type HandoverObserver interface {
	Handover(step string)
}

// conv is what a conversation needs between messages for a hand-over.
type conv struct {
	lastQ, lastLang string // the last question the bot could not answer
	awaiting        bool   // the next message is the question for a person
	pending         *Handover
	at              time.Time
}

// phrases ask for a person, folded, in every shipped language.
var phrases = []string{
	"talk to someone", "talk to a person", "talk to a human", "speak to someone", "speak to a person", "real person",
	"porozmawiac z kims", "porozmawiac z czlowiekiem", "z zywym czlowiekiem", "z konsultantem", "z pracownikiem",
	"mit jemandem sprechen", "mit einem menschen", "mit einer person",
	"govoriti z nekom", "z osebo", "s clovekom", "z zivim",
	"mluvit s nekym", "s clovekem", "se zivym",
	"pohovoryty z kymos", "z ljudynoju", "z operatorom",
}

// asksForPerson tells "I want to talk to someone".
func asksForPerson(text string) bool {
	f := " " + strings.Join(fold.Tokens(text), " ") + " "
	for _, p := range phrases {
		if strings.Contains(f, " "+p+" ") {
			return true
		}
	}
	return false
}

// convTTL is how long a conversation's hand-over state waits.
const convTTL = 30 * time.Minute

func (h *Handler) conv(m bot.Message) *conv {
	now := h.cfg.Now()
	k := convKey(m)
	c := h.convs[k]
	if c == nil || now.Sub(c.at) > convTTL {
		if len(h.convs) > 10000 {
			for k, c := range h.convs {
				if now.Sub(c.at) > convTTL {
					delete(h.convs, k)
				}
			}
		}
		c = &conv{}
		h.convs[k] = c
	}
	c.at = now
	return c
}

// handoverCommand handles /contact, the question after it, the consent,
// and the office's /answer. It reports false for anything else.
func (h *Handler) handoverCommand(ctx context.Context, m bot.Message, text string) (bot.Reply, bool) {
	name, args := command(text)
	switch {
	case name == "/answer":
		return h.officeAnswer(ctx, m, args), true
	case name == "/contact":
		return h.contact(ctx, m, args), true
	case name == "" && asksForPerson(text):
		return h.contact(ctx, m, ""), true
	case name == "":
		h.mu.Lock()
		c := h.convs[convKey(m)]
		awaiting := c != nil && c.awaiting && h.cfg.Now().Sub(c.at) <= convTTL
		if awaiting {
			c.awaiting = false
		}
		h.mu.Unlock()
		if awaiting {
			return h.offer(m, text, h.lang(m, ""), ""), true
		}
	}
	return bot.Reply{}, false
}

// command splits "/name@bot args" into "/name" (lower case) and args; name
// is "" for text that is not a command.
func command(text string) (string, string) {
	if !strings.HasPrefix(text, "/") {
		return "", ""
	}
	name, args, _ := strings.Cut(text, " ")
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	return strings.ToLower(name), strings.TrimSpace(args)
}

func (h *Handler) reply(lang, intent string) (*bot.T, bot.Reply) {
	t := h.cfg.Catalogs.For(lang)
	return t, bot.Reply{Lang: t.Lang, Intent: intent}
}

// contact is /contact [question | yes | no | to TOWN].
func (h *Handler) contact(ctx context.Context, m bot.Message, args string) bot.Reply {
	h.mu.Lock()
	c := h.conv(m)
	lastQ, lastLang, pending := c.lastQ, c.lastLang, c.pending
	h.mu.Unlock()
	lang := h.lang(m, lastLang)
	if pending != nil {
		lang = h.lang(m, pending.Lang)
	}
	t, r := h.reply(lang, "handover")
	if len(h.cfg.Offices) == 0 || h.cfg.Handovers == nil || h.cfg.Sender == nil {
		r.Text = []string{t.S("handover.unavailable")}
		return r
	}
	word, rest, _ := strings.Cut(args, " ")
	switch strings.ToLower(word) {
	case "yes":
		return h.forward(ctx, m, t, r)
	case "no":
		h.mu.Lock()
		c.pending, c.awaiting = nil, false
		h.mu.Unlock()
		r.Text = []string{t.S("handover.cancelled")}
		return r
	case "to":
		if pending == nil {
			r.Text = []string{t.S("handover.expired")}
			return r
		}
		return h.offer(m, pending.Question, pending.Lang, strings.TrimSpace(rest))
	}
	if args != "" {
		return h.offer(m, args, h.lang(m, ""), "")
	}
	if lastQ != "" {
		return h.offer(m, lastQ, lang, "")
	}
	h.mu.Lock()
	c.awaiting = true
	h.mu.Unlock()
	r.Text = []string{t.S("handover.ask")}
	return r
}

// offer asks the resident's consent to forward question to a town's office
// (asking which town first when that is not clear).
func (h *Handler) offer(m bot.Message, question, lang, town string) bot.Reply {
	lang = h.lang(m, lang)
	t, r := h.reply(lang, "handover")
	if _, ok := h.cfg.Offices[town]; !ok {
		town = ""
		if h.cfg.TownOf != nil {
			town = h.cfg.TownOf(question, lang)
		}
	}
	if _, ok := h.cfg.Offices[town]; !ok {
		town = ""
		if len(h.cfg.Offices) == 1 {
			for id := range h.cfg.Offices {
				town = id
			}
		}
	}
	hv := &Handover{Town: town, Lang: lang, Question: question, To: bot.Address{Platform: m.Platform, Chat: m.Chat, User: m.User},
		User: bot.UserKey(m.Platform, m.User), FirstName: cleanName(m.FirstName)}
	h.mu.Lock()
	c := h.conv(m)
	c.pending, c.awaiting = hv, false
	h.mu.Unlock()
	if h.hobs != nil {
		h.hobs.Handover("asked")
	}
	if town == "" {
		r.Text = []string{t.S("handover.which_town")}
		var ids []string
		for id := range h.cfg.Offices {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			r.Choices = append(r.Choices, bot.Choice{Label: h.townName(id, lang), Data: "/contact to " + id})
		}
		return r
	}
	if hv.FirstName != "" {
		r.Text = []string{t.S("handover.consent_name", "Town", h.townName(town, lang), "Question", question, "Name", hv.FirstName)}
	} else {
		r.Text = []string{t.S("handover.consent", "Town", h.townName(town, lang), "Question", question)}
	}
	r.Choices = []bot.Choice{{Label: t.S("handover.yes"), Data: "/contact yes"}, {Label: t.S("handover.no"), Data: "/contact no"}}
	return r
}

func (h *Handler) townName(id, lang string) string {
	if h.cfg.TownName != nil {
		if n := h.cfg.TownName(id, lang); n != "" {
			return n
		}
	}
	return id
}

// forward sends the consented question to the office.
func (h *Handler) forward(ctx context.Context, m bot.Message, t *bot.T, r bot.Reply) bot.Reply {
	h.mu.Lock()
	c := h.conv(m)
	hv := c.pending
	if hv != nil && hv.Town != "" {
		c.pending = nil
		c.lastQ = ""
	}
	h.mu.Unlock()
	if hv == nil || hv.Town == "" {
		r.Text = []string{t.S("handover.expired")}
		return r
	}
	hv.Created = h.cfg.Now()
	kept := *hv
	kept.FirstName = "" // for the office's note only, never stored
	id, err := h.cfg.Handovers.AddHandover(ctx, kept)
	if err == nil {
		err = h.cfg.Sender.Send(ctx, h.cfg.Offices[hv.Town], h.officeNote(id, *hv))
		if err != nil {
			h.cfg.Handovers.CloseHandover(ctx, id)
		}
	}
	if err != nil {
		h.log.Error("handing a question to the office", "town", hv.Town, "err", err)
		r.Text = []string{t.S("handover.failed")}
		return r
	}
	if h.hobs != nil {
		h.hobs.Handover("forwarded")
	}
	e := h.entry(KindHandover, hv.Question, bot.Reply{Lang: hv.Lang, Intent: understand.IntentUnknown})
	e.Town = hv.Town
	h.record(ctx, e)
	r.Text = []string{t.S("handover.sent", "Town", h.townName(hv.Town, t.Lang))}
	return r
}

// officeNote is the message the office gets, in the town's language.
func (h *Handler) officeNote(id int64, hv Handover) bot.Reply {
	lang := "en"
	if h.cfg.OfficeLang != nil {
		lang = h.lang(bot.Message{}, h.cfg.OfficeLang(hv.Town))
	}
	t, r := h.reply(lang, "handover")
	ref := strconv.FormatInt(id, 10)
	r.Title = t.S("handover.office_title", "ID", ref, "Platform", platformName(hv.To.Platform))
	r.Text = []string{hv.Question}
	r.Notes = []string{t.S("handover.office_lang", "Lang", bot.LangName(hv.Lang)), t.S("handover.office_how", "ID", ref)}
	if hv.FirstName != "" {
		r.Notes = append([]string{t.S("handover.office_name", "Name", hv.FirstName)}, r.Notes...)
	}
	r.Choices = []bot.Choice{{Label: t.S("handover.office_button"), Data: "/answer " + ref}}
	return r
}

func platformName(p string) string {
	switch p {
	case "telegram":
		return "Telegram"
	case "discord":
		return "Discord"
	}
	return p
}

// officeAnswer is the office's "/answer ID text": the text goes to the
// resident, in the same chat they asked in.
func (h *Handler) officeAnswer(ctx context.Context, m bot.Message, args string) bot.Reply {
	t, r := h.reply(h.lang(m, ""), "handover")
	idText, answer, _ := strings.Cut(args, " ")
	answer = strings.TrimSpace(answer)
	id, err := strconv.ParseInt(strings.TrimPrefix(idText, "#"), 10, 64)
	if h.cfg.Handovers == nil || err != nil {
		r.Text = []string{t.S("handover.answer_how", "ID", "12")}
		return r
	}
	hv, ok, err := h.cfg.Handovers.Handover(ctx, id)
	if err != nil {
		h.log.Error("reading a hand-over", "err", err)
		r.Text = []string{t.S("handover.failed")}
		return r
	}
	office, isOffice := h.cfg.Offices[hv.Town]
	if !ok || !isOffice || office.Platform != m.Platform || office.Chat != m.Chat {
		// Only the town's office may answer; to anyone else the
		// hand-over does not exist.
		r.Text = []string{t.S("handover.unknown_id", "ID", idText)}
		return r
	}
	if h.cfg.OfficeLang != nil {
		t, r = h.reply(h.lang(bot.Message{}, h.cfg.OfficeLang(hv.Town)), "handover")
	}
	if answer == "" {
		r.Text = []string{t.S("handover.answer_how", "ID", idText)}
		return r
	}
	rt, rr := h.reply(hv.Lang, "handover")
	rr.Title = rt.S("handover.answer_title", "Town", h.townName(hv.Town, rt.Lang))
	rr.Text = []string{answer}
	if err := h.cfg.Sender.Send(ctx, hv.To, rr); err != nil {
		h.log.Error("giving the office's answer to the resident", "town", hv.Town, "err", err)
		r.Text = []string{t.S("handover.failed")}
		return r
	}
	if err := h.cfg.Handovers.CloseHandover(ctx, id); err != nil {
		h.log.Error("closing a hand-over", "err", err)
	}
	if h.hobs != nil {
		h.hobs.Handover("answered")
	}
	r.Text = []string{t.S("handover.delivered", "ID", idText)}
	return r
}

// forgetHandovers is the hand-over part of /forget.
func (h *Handler) forgetHandovers(ctx context.Context, m bot.Message) {
	h.mu.Lock()
	delete(h.convs, convKey(m))
	h.mu.Unlock()
	if h.cfg.Handovers == nil {
		return
	}
	if _, err := h.cfg.Handovers.ForgetHandovers(ctx, bot.UserKey(m.Platform, m.User)); err != nil {
		h.log.Error("forgetting hand-overs", "err", err)
	}
}

// ParseOffices reads "zywiec=telegram:-100123,opoczno=discord:456".
func ParseOffices(s string) (map[string]bot.Address, error) {
	out := map[string]bot.Address{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		town, addr, ok := strings.Cut(part, "=")
		if !ok || town == "" {
			return nil, fmt.Errorf("%q is not town=platform:chat", part)
		}
		a, err := bot.ParseAddress(addr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", town, err)
		}
		if _, dup := out[town]; dup {
			return nil, errors.New(town + " is given twice")
		}
		out[town] = a
	}
	return out, nil
}

// cleanName keeps a platform's display name to one short line of
// printable characters.
func cleanName(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }), " ")
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64])
	}
	return s
}
