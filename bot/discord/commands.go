package discord

import (
	"slices"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// Discord's limits on slash commands.
const (
	maxCommandName = 32
	maxCommandDesc = 100
	maxQuestion    = 1000
	maxTownOption  = 100
)

// discordLocales are the locales Discord has for a language of the
// catalogs: Slovenian (and Slovak) have none, so Slovenian users pick their
// language with /lang.
func discordLocales(lang string) []discordgo.Locale {
	var out []discordgo.Locale
	for l := range discordgo.Locales {
		if l == discordgo.Unknown {
			continue
		}
		if bot.BaseLang(string(l)) == lang {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// commands are the slash commands the adapter registers, with names and
// descriptions in every shipped language Discord has a locale for. English
// is the default; a name comes from the catalog message "cmd.<name>.name"
// when a language has one, else it is made from the description
// ("Miasta partnerskie" → "miasta-partnerskie").
func commands(cat *bot.Catalogs) []*discordgo.ApplicationCommand {
	en := cat.For("en")
	str := discordgo.ApplicationCommandOptionString
	var langs []*discordgo.ApplicationCommandOptionChoice
	for _, l := range cat.Langs() {
		langs = append(langs, &discordgo.ApplicationCommandOptionChoice{Name: bot.LangName(l), Value: l})
	}
	cmds := []*discordgo.ApplicationCommand{
		{Name: "ask", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "question", Description: en.S("cmd.ask.question"), Required: true, MaxLength: maxQuestion},
		}},
		{Name: "partners", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "town", Description: en.S("cmd.partners.town"), MaxLength: maxTownOption},
		}},
		{Name: "exchanges"},
		{Name: "news"},
		{Name: "signup"},
		{Name: "lang", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "language", Description: en.S("cmd.lang"), Choices: langs},
		}},
		{Name: "contact", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "question", Description: en.S("cmd.contact.question"), MaxLength: maxQuestion},
		}},
	}
	for _, c := range cmds {
		c.Type = discordgo.ChatApplicationCommand
		c.Description = bot.Ellipsize(en.S("cmd."+c.Name), maxCommandDesc)
		if c.Options == nil {
			c.Options = []*discordgo.ApplicationCommandOption{}
		}
		names, descs := map[discordgo.Locale]string{}, map[discordgo.Locale]string{}
		for _, o := range c.Options {
			o.Description = bot.Ellipsize(o.Description, maxCommandDesc)
			o.NameLocalizations, o.DescriptionLocalizations = map[discordgo.Locale]string{}, map[discordgo.Locale]string{}
		}
		for _, lang := range cat.Langs() {
			locs := discordLocales(lang)
			if lang == "en" || len(locs) == 0 {
				continue
			}
			has := map[string]bool{}
			for _, id := range cat.IDs(lang) {
				has[id] = true
			}
			t := cat.For(lang)
			name, desc := localized(t, has, "cmd."+c.Name)
			for _, o := range c.Options {
				oname, odesc := localized(t, has, "cmd."+c.Name+"."+o.Name)
				if o.Name == "language" {
					oname, odesc = "", desc
				}
				for _, l := range locs {
					if oname != "" {
						o.NameLocalizations[l] = oname
					}
					if odesc != "" {
						o.DescriptionLocalizations[l] = odesc
					}
				}
			}
			for _, l := range locs {
				if name != "" {
					names[l] = name
				}
				if desc != "" {
					descs[l] = desc
				}
			}
		}
		c.NameLocalizations, c.DescriptionLocalizations = &names, &descs
	}
	return cmds
}

// localized is the name and description of a command or option in t's
// language; "" when the catalog lacks the description.
func localized(t *bot.T, has map[string]bool, id string) (name, desc string) {
	if !has[id] {
		return "", ""
	}
	desc = bot.Ellipsize(t.S(id), maxCommandDesc)
	if has[id+".name"] {
		name = commandName(t.S(id + ".name"))
	}
	if name == "" {
		name = commandName(desc)
	}
	return name, desc
}

// commandName makes a valid command name of s: lower-case letters and
// digits, words joined by '-', at most 32 characters; when the whole does
// not fit, the first word ("Neuigkeiten aus den Partnerschaften" →
// "neuigkeiten").
func commandName(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '_'
	})
	if len(words) == 0 {
		return ""
	}
	if name := strings.Join(words, "-"); len([]rune(name)) <= maxCommandName {
		return name
	}
	if r := []rune(words[0]); len(r) > maxCommandName {
		return string(r[:maxCommandName])
	}
	return words[0]
}

// translate turns an interaction into the message the core understands:
// /ask's question as typed, the other commands as "/name args", a button's
// custom_id (a Choice's Data) as it is.
func translate(i *discordgo.Interaction) (bot.Message, bool) {
	m := bot.Message{Platform: platform, Chat: i.ChannelID, Locale: string(i.Locale)}
	switch {
	case i.Member != nil && i.Member.User != nil:
		m.User, m.FirstName = i.Member.User.ID, firstName(i.Member.User)
	case i.User != nil:
		m.User, m.FirstName = i.User.ID, firstName(i.User)
	default:
		return m, false
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return m, false
		}
		opt := func(name string) string {
			for _, o := range d.Options {
				if o.Name == name && o.Type == discordgo.ApplicationCommandOptionString {
					if s, ok := o.Value.(string); ok {
						return strings.TrimSpace(s)
					}
				}
			}
			return ""
		}
		switch d.Name {
		case "ask":
			m.Text = opt("question")
		case "partners":
			m.Text = strings.TrimSpace("/partners " + opt("town"))
		case "lang":
			m.Text = strings.TrimSpace("/lang " + opt("language"))
		case "contact":
			// A person at the town's office; the question is optional.
			m.Text = strings.TrimSpace("/contact " + opt("question"))
		default:
			// /exchanges, /news, /signup, and any command registered by
			// an older version: the core knows them or says it does not.
			m.Text = "/" + d.Name
		}
	case discordgo.InteractionMessageComponent:
		d, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok || d.CustomID == "" {
			return m, false
		}
		m.Text = d.CustomID
	default:
		return m, false
	}
	return m, true
}

// firstName is what Discord calls the person: their display name (global
// name) or else their username. It reaches a town's office only in a
// question handed over with the person's consent.
func firstName(u *discordgo.User) string {
	if u == nil {
		return ""
	}
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}
