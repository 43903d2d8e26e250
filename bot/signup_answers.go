package bot

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/twinbot/twinbot/fold"
	"github.com/twinbot/twinbot/knowledge"
)

// digitalConsentAges is the age from which a child may consent alone to
// the processing of their data (GDPR art. 8 as each country set it). It is
// not legal advice: a town sets its own with digital_consent_age.
var digitalConsentAges = map[string]int{
	"AT": 14, "BE": 13, "BG": 14, "CY": 14, "CZ": 15, "DE": 16, "DK": 13, "EE": 13,
	"ES": 14, "FI": 13, "FR": 15, "GB": 13, "GR": 15, "HR": 16, "HU": 16, "IE": 16,
	"IS": 13, "IT": 14, "LT": 14, "LU": 16, "LV": 13, "MT": 13, "NL": 16, "NO": 13,
	"PL": 16, "PT": 13, "RO": 16, "SE": 13, "SI": 15, "SK": 16,
}

// defaultConsentAge is GDPR's default.
const defaultConsentAge = 16

// DigitalConsentAge is the age of digital consent of a town: its own
// setting, else its country's, else 16.
func DigitalConsentAge(t *knowledge.Town) int {
	if t == nil {
		return defaultConsentAge
	}
	if t.DigitalConsentAge > 0 {
		return t.DigitalConsentAge
	}
	if a, ok := digitalConsentAges[strings.ToUpper(t.Country)]; ok {
		return a
	}
	return defaultConsentAge
}

// ageOn is the age in whole years on the day of at of someone born on d.
func ageOn(d knowledge.Date, at time.Time) int {
	age := at.Year() - d.Year
	if int(at.Month()) < d.Month || int(at.Month()) == d.Month && at.Day() < d.Day {
		age--
	}
	return age
}

// maxAnswer bounds free-text answers, in characters.
const maxAnswer = 500

// checkAnswer validates the answer to field and returns it normalized, or
// the id of the message saying what is wrong.
func checkAnswer(field, text string, now time.Time) (string, string) {
	text = strings.TrimSpace(text)
	switch field {
	case knowledge.FieldName, knowledge.FieldGuardian:
		return checkName(text)
	case knowledge.FieldBirthDate:
		d, err := parseBirthDate(text)
		if errors.Is(err, errNoSuchDay) {
			return "", "signup.bad.date_missing"
		}
		if err != nil {
			return "", "signup.bad.date"
		}
		if d.Time(now.Location()).After(now) {
			return "", "signup.bad.date_future"
		}
		if ageOn(d, now) > 120 {
			return "", "signup.bad.date"
		}
		return d.String(), ""
	case knowledge.FieldEmail:
		if e, ok := checkEmail(text); ok {
			return e, ""
		}
		return "", "signup.bad.email"
	case knowledge.FieldPhone:
		if p, ok := checkPhone(text); ok {
			return p, ""
		}
		return "", "signup.bad.phone"
	case knowledge.FieldContact, AnswerGuardianContact:
		if strings.Contains(text, "@") {
			if e, ok := checkEmail(text); ok {
				return e, ""
			}
			return "", "signup.bad.email"
		}
		if p, ok := checkPhone(text); ok {
			return p, ""
		}
		return "", "signup.bad.contact"
	}
	if len([]rune(text)) > maxAnswer {
		return "", "signup.bad.text"
	}
	return text, ""
}

// validAnswer is checkAnswer, and for names also refuses a yes or a no of
// any language ("da", "tak", "так"): someone answering the question before
// it, not a name.
func (b *Bot) validAnswer(field, text, lang string, now time.Time) (string, string) {
	v, bad := checkAnswer(field, text, now)
	if bad != "" {
		return v, bad
	}
	if field == knowledge.FieldName || field == knowledge.FieldGuardian {
		if _, ok := b.yesNo(v, lang); ok {
			return "", "signup.bad.name_word"
		}
	}
	return v, ""
}

// checkName accepts 2 to 100 characters of letters, spaces and the marks
// names use (hyphens, apostrophes, dots), with at least two letters: digits
// alone or a single letter are no name.
func checkName(s string) (string, string) {
	s = strings.Join(strings.Fields(s), " ")
	n := 0
	letters := 0
	digits := 0
	for _, r := range s {
		n++
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			letters++
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.' || r == ',':
		case unicode.IsDigit(r):
			digits++
		default:
			return "", "signup.bad.name"
		}
	}
	switch {
	case n > 100:
		return "", "signup.bad.name"
	case digits > 0 || letters == 0:
		return "", "signup.bad.name_letters"
	case letters < 2:
		return "", "signup.bad.name_word"
	}
	return s, ""
}

// errNoSuchDay is a date written right that is not in the calendar
// (2011-02-30, 31.04.2010).
var errNoSuchDay = errors.New("no such day")

// parseBirthDate reads a full date written the ISO way (2010-05-17) or the
// European way (17.05.2010, 17. 5. 2010, 17/05/2010). A two-digit year is
// refused: it is ambiguous.
func parseBirthDate(s string) (knowledge.Date, error) {
	var parts []string
	cur := ""
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			cur += string(r)
		case r == '-' || r == '.' || r == '/' || r == ' ':
			if cur != "" {
				parts = append(parts, cur)
				cur = ""
			}
		default:
			return knowledge.Date{}, knowledge.ErrBadDate
		}
	}
	if cur != "" {
		parts = append(parts, cur)
	}
	if len(parts) != 3 {
		return knowledge.Date{}, knowledge.ErrBadDate
	}
	pad := func(p string) string {
		if len(p) == 1 {
			return "0" + p
		}
		return p
	}
	var y, m, d string
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		y, m, d = parts[0], pad(parts[1]), pad(parts[2])
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		y, m, d = parts[2], pad(parts[1]), pad(parts[0])
	default:
		return knowledge.Date{}, knowledge.ErrBadDate
	}
	date, err := knowledge.ParseDate(y + "-" + m + "-" + d)
	if err != nil {
		// The form was right, so the day or the month is not in the
		// calendar.
		return knowledge.Date{}, fmt.Errorf("%w: %w", errNoSuchDay, err)
	}
	return date, nil
}

// checkEmail accepts a bare address with a dotted domain.
func checkEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", false
	}
	return s, true
}

// checkPhone accepts 6 to 15 digits, optionally after a +, with spaces,
// dashes, dots, slashes and parentheses between them.
func checkPhone(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	if digits < 6 || digits > 15 {
		return "", false
	}
	return s, true
}

// ageProblem checks the participant's age at the exchange's start against
// its audience; it returns the refusal message and its data.
func ageProblem(e *knowledge.Exchange, birth string, now time.Time) (string, []any) {
	a := e.Audience
	if a == nil || (a.MinAge == 0 && a.MaxAge == 0) {
		return "", nil
	}
	d, err := knowledge.ParseDate(birth)
	if err != nil {
		return "signup.bad.date", nil
	}
	at := now
	if e.Start != nil {
		at = e.Start.Time(now.Location())
	}
	age := ageOn(d, at)
	switch {
	case a.MinAge > 0 && a.MaxAge > 0 && (age < a.MinAge || age > a.MaxAge):
		return "signup.bad.age", []any{"Min", a.MinAge, "Max", a.MaxAge, "Age", age}
	case a.MaxAge == 0 && age < a.MinAge:
		return "signup.bad.age_min", []any{"Min", a.MinAge, "Age", age}
	case a.MinAge == 0 && age > a.MaxAge:
		return "signup.bad.age_max", []any{"Max", a.MaxAge, "Age", age}
	}
	return "", nil
}

// yesNo reads a yes or a no: the yes and no words of the words files
// (lang's first, then every language's), else a yes or no button's label
// typed out ("Confirm").
func (b *Bot) yesNo(text, lang string) (yes, ok bool) {
	if yes, ok := b.lex.YesNo(text, lang); ok {
		return yes, true
	}
	w := fold.Fold(strings.TrimRight(strings.TrimSpace(text), ".!"))
	for _, l := range append([]string{lang}, b.cat.Langs()...) {
		t := b.cat.For(l)
		for _, id := range []string{"choice.yes", "choice.confirm", "choice.waitlist"} {
			if fold.Fold(t.S(id)) == w {
				return true, true
			}
		}
		if fold.Fold(t.S("choice.no")) == w {
			return false, true
		}
	}
	return false, false
}
