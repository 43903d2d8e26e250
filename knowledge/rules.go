package knowledge

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/text/language"
)

// ruleKind says what a field's values must look like beyond their YAML type.
type ruleKind int

const (
	ruleNone    ruleKind = iota
	ruleID               // an id: ^[a-z0-9][a-z0-9-]*$
	ruleRef              // an id of something else (checked once everything is loaded)
	ruleCountry          // ISO 3166-1 alpha-2
	ruleLang             // a language code
	ruleURL              // an http(s) URL
	ruleEmail            // an e-mail address
	ruleVocab            // one of a controlled vocabulary
	ruleNonNeg           // a number that cannot be negative
	ruleName             // a name or alias of a place, which questions are matched against
)

// MaxNameLen is the longest name or alias of a place, in characters (the
// longest real ones have some 40): every name is folded and indexed, and
// compared with every question.
const MaxNameLen = 100

// rule is what is checked of one field's values (of each item of a list).
type rule struct {
	kind  ruleKind
	vocab []string // ruleVocab
	msg   string   // ruleVocab: message id for an unknown value
	field string   // the field's YAML name, for messages
}

// idPattern is what ids look like; the JSON Schema uses it too.
const idPattern = `^[a-z0-9][a-z0-9-]*$`

var idRE = regexp.MustCompile(idPattern)

// fieldRules are the checks of individual fields, by Go type name and YAML
// field name. Cross-references and ranges are checked in validate.go.
var fieldRules = map[string]rule{
	"Town.id":     {kind: ruleID},
	"Partner.id":  {kind: ruleID},
	"Exchange.id": {kind: ruleID},
	"News.id":     {kind: ruleID},

	"Exchange.town":     {kind: ruleRef},
	"News.town":         {kind: ruleRef},
	"Exchange.partners": {kind: ruleRef},
	"News.partners":     {kind: ruleRef},
	"Partner.part_of":   {kind: ruleRef},

	"Town.name":       {kind: ruleName},
	"Town.aliases":    {kind: ruleName},
	"Partner.name":    {kind: ruleName},
	"Partner.aliases": {kind: ruleName},
	"Place.name":      {kind: ruleName},
	"Place.aliases":   {kind: ruleName},

	"Town.country":    {kind: ruleCountry},
	"Partner.country": {kind: ruleCountry},
	"Place.country":   {kind: ruleCountry},

	"Town.default_lang": {kind: ruleLang},

	"Town.website":     {kind: ruleURL},
	"Town.privacy_url": {kind: ruleURL},
	"Contact.url":      {kind: ruleURL},
	"Partner.website":  {kind: ruleURL},
	"Link.url":         {kind: ruleURL},
	"News.source":      {kind: ruleURL},

	"Contact.email": {kind: ruleEmail},

	"Page.kind":            {kind: ruleVocab, vocab: pageKinds, msg: "check.unknown_page"},
	"Partner.relation":     {kind: ruleVocab, vocab: relations, msg: "check.unknown_relation"},
	"Partner.areas":        {kind: ruleVocab, vocab: areas, msg: "check.unknown_area"},
	"Agreement.kind":       {kind: ruleVocab, vocab: agreementKinds, msg: "check.unknown_agreement"},
	"Signup.fields":        {kind: ruleVocab, vocab: signupFields, msg: "check.unknown_signup_field"},
	"Exchange.capacity":    {kind: ruleNonNeg},
	"Exchange.remind_days": {kind: ruleNonNeg},
	"Audience.min_age":     {kind: ruleNonNeg},
	"Audience.max_age":     {kind: ruleNonNeg},

	"Facts.population":         {kind: ruleNonNeg},
	"Facts.population_year":    {kind: ruleNonNeg},
	"Facts.area_km2":           {kind: ruleNonNeg},
	"Town.digital_consent_age": {kind: ruleNonNeg},
}

// checkLang reports what is wrong with a language code (a Text key or
// default_lang): the message id and its data, or "" when it is fine. Codes
// are ISO 639 base languages as golang.org/x/text/language knows them,
// written in lowercase and in their shortest form ("pl", not "PL" or "pol").
func checkLang(s string) (string, map[string]any) {
	if len(s) < 2 || len(s) > 3 || strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return "check.bad_lang", map[string]any{"Value": s}
	}
	b, err := language.ParseBase(s)
	if err != nil || b.String() == "und" {
		return "check.bad_lang", map[string]any{"Value": s}
	}
	if want := b.String(); want != s {
		return "check.lang_spelling", map[string]any{"Value": s, "Want": want}
	}
	return "", nil
}

// checkCountry reports what is wrong with a country code: it must be an ISO
// 3166-1 alpha-2 code of a country, in capitals ("PL", "SK"; "GB", not
// "UK").
func checkCountry(s string) (string, map[string]any) {
	if len(s) != 2 {
		return "check.bad_country", map[string]any{"Value": s}
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() {
		return "check.bad_country", map[string]any{"Value": s}
	}
	if want := r.Canonicalize().String(); want != s {
		return "check.country_spelling", map[string]any{"Value": s, "Want": want}
	}
	return "", nil
}

// checkURL reports whether s is an absolute http or https URL with a host.
func checkURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		!strings.ContainsAny(s, " \t\n")
}

// checkEmail reports whether s is a bare e-mail address.
func checkEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}
