package knowledge

import "slices"

// Text is a piece of text in several languages, keyed by language code
// ("pl", "en", "uk", ...). One language is enough; readers fall back to
// another and say so.
type Text map[string]string

// TextList is a list of short items per language (the points of a
// cooperation agreement, for instance).
type TextList map[string][]string

// File is the shape of one YAML file of a knowledge base. A file holds one
// town (with its pages and partners), a list of exchanges, a list of news,
// or any mix of them.
type File struct {
	Town      *Town      `yaml:"town,omitempty" json:"town,omitempty"`
	Exchanges []Exchange `yaml:"exchanges,omitempty" json:"exchanges,omitempty"`
	News      []News     `yaml:"news,omitempty" json:"news,omitempty"`
}

// Town is a municipality that runs the bot, with its partners.
type Town struct {
	ID          string   `yaml:"id" json:"id"`
	Name        Text     `yaml:"name" json:"name"`
	Aliases     []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Country     string   `yaml:"country" json:"country"`
	DefaultLang string   `yaml:"default_lang" json:"default_lang"`
	Website     string   `yaml:"website,omitempty" json:"website,omitempty"`
	Contact     *Contact `yaml:"contact,omitempty" json:"contact,omitempty"`
	// PrivacyURL is the town's privacy notice, linked from sign-up consent.
	PrivacyURL string `yaml:"privacy_url,omitempty" json:"privacy_url,omitempty"`
	// DigitalConsentAge overrides the country's age of digital consent.
	DigitalConsentAge int       `yaml:"digital_consent_age,omitempty" json:"digital_consent_age,omitempty"`
	Description       Text      `yaml:"description,omitempty" json:"description,omitempty"`
	Pages             []Page    `yaml:"pages,omitempty" json:"pages,omitempty"`
	Partners          []Partner `yaml:"partners,omitempty" json:"partners,omitempty"`
	Links             []Link    `yaml:"links,omitempty" json:"links,omitempty"`
}

// Page kinds: the general pages a town keeps about twinning.
const (
	PageAbout       = "about"       // what twinning is
	PageHistory     = "history"     // where the idea comes from
	PageCommitments = "commitments" // what partners commit to
	PageMethods     = "methods"     // how the town cooperates with its partners
	PageGoals       = "goals"       // why the town cooperates abroad
)

// pageKinds are the valid Page.Kind values.
var pageKinds = []string{PageAbout, PageHistory, PageCommitments, PageMethods, PageGoals}

// Page is a general text a town publishes about twinning.
type Page struct {
	Kind  string   `yaml:"kind" json:"kind" jsonschema:"enum=about|history|commitments|methods|goals"`
	Title Text     `yaml:"title,omitempty" json:"title,omitempty"`
	Body  Text     `yaml:"body,omitempty" json:"body,omitempty"`
	Items TextList `yaml:"items,omitempty" json:"items,omitempty"`
}

// Contact is who handles partnerships (or an exchange).
type Contact struct {
	Name  Text   `yaml:"name,omitempty" json:"name,omitempty"`
	Email string `yaml:"email,omitempty" json:"email,omitempty"`
	Phone string `yaml:"phone,omitempty" json:"phone,omitempty"`
	URL   string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Relation kinds between a town and a partner.
const (
	RelTwin        = "twin"        // partner / twin town
	RelFriendly    = "friendly"    // friendly town
	RelCooperation = "cooperation" // cooperation agreement (cross-border and the like)
	RelDomestic    = "domestic"    // partner in the same country
	RelRegional    = "regional"    // regional cooperation (a district and its towns)
)

// relations are the valid Partner.Relation values.
var relations = []string{RelTwin, RelFriendly, RelCooperation, RelDomestic, RelRegional}

// Relations lists the valid Partner.Relation values, in the order answers
// group partners by; the list is a fresh copy.
func Relations() []string { return slices.Clone(relations) }

// Partner is one partner (twin, friendly, ...) of a town.
type Partner struct {
	ID      string   `yaml:"id" json:"id"`
	Name    Text     `yaml:"name" json:"name"`
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code (PL, SK, GB, ...).
	Country  string `yaml:"country" json:"country"`
	Relation string `yaml:"relation" json:"relation"`
	// PartOf names another partner of the same town this one belongs to
	// (Rudamina belongs to the Vilnius District Municipality).
	PartOf       string      `yaml:"part_of,omitempty" json:"part_of,omitempty"`
	Website      string      `yaml:"website,omitempty" json:"website,omitempty"`
	FirstContact *Event      `yaml:"first_contact,omitempty" json:"first_contact,omitempty"`
	Agreements   []Agreement `yaml:"agreements,omitempty" json:"agreements,omitempty"`
	// Areas of cooperation, from the controlled vocabulary (see Areas).
	Areas []string `yaml:"areas,omitempty" json:"areas,omitempty"`
	// Cooperation lists what the cooperation covers, in the partners' words.
	Cooperation TextList `yaml:"cooperation,omitempty" json:"cooperation,omitempty"`
	Facts       *Facts   `yaml:"facts,omitempty" json:"facts,omitempty"`
	Description Text     `yaml:"description,omitempty" json:"description,omitempty"`
	Links       []Link   `yaml:"links,omitempty" json:"links,omitempty"`
}

// Areas returns the controlled vocabulary of cooperation areas; their names
// are localized in locales/ (message ids "area.<name>") and recognized in
// questions through the words files' "areas".
func Areas() []string { return slices.Clone(areas) }

var areas = []string{
	"youth", "culture", "sport", "education", "tourism", "economy", "environment",
	"health", "fire_brigades", "local_government", "families", "art", "promotion",
	"libraries", "cross_border", "social", "science", "agriculture", "civil_society",
}

// Agreement kinds.
const (
	AgrTwinningAct     = "twinning_act"          // akt zbliźniaczenia
	AgrCharter         = "twinning_charter"      // listina o pobratenju
	AgrPartnership     = "partnership_agreement" // umowa partnerska
	AgrCooperation     = "cooperation_agreement" // porozumienie o współpracy
	AgrCrossBorder     = "cross_border_agreement"
	AgrLetterOfIntent  = "letter_of_intent"
	AgrDeclaration     = "declaration_of_intent"
	AgrPledge          = "partnership_pledge" // partnerskie przyrzeczenie
	AgrRegionAgreement = "euroregion_agreement"
)

// agreementKinds are the valid Agreement.Kind values; their names are
// localized in locales/ (message ids "agreement.<kind>").
var agreementKinds = []string{
	AgrTwinningAct, AgrCharter, AgrPartnership, AgrCooperation, AgrCrossBorder,
	AgrLetterOfIntent, AgrDeclaration, AgrPledge, AgrRegionAgreement,
}

// Agreement is one signing: two signings of the same act (one in each town)
// are two agreements of the same kind.
type Agreement struct {
	Kind string `yaml:"kind" json:"kind"`
	// Title is the act's own name where the source gives one.
	Title Text  `yaml:"title,omitempty" json:"title,omitempty"`
	Date  *Date `yaml:"date,omitempty" json:"date,omitempty"`
	Place Text  `yaml:"place,omitempty" json:"place,omitempty"`
	// From and To bound an agreement made for a period (2007–2010).
	From *Date `yaml:"from,omitempty" json:"from,omitempty"`
	To   *Date `yaml:"to,omitempty" json:"to,omitempty"`
	Note Text  `yaml:"note,omitempty" json:"note,omitempty"`
}

// Event is something that happened on a date (a first contact).
type Event struct {
	Date  *Date `yaml:"date,omitempty" json:"date,omitempty"`
	Place Text  `yaml:"place,omitempty" json:"place,omitempty"`
	Text  Text  `yaml:"text,omitempty" json:"text,omitempty"`
}

// Facts are figures about a place. Every field is optional; the bot says
// "I don't know" for a fact that is not here rather than guess.
type Facts struct {
	Population     int     `yaml:"population,omitempty" json:"population,omitempty"`
	PopulationYear int     `yaml:"population_year,omitempty" json:"population_year,omitempty"`
	Founded        *Date   `yaml:"founded,omitempty" json:"founded,omitempty"`
	FirstMention   *Date   `yaml:"first_mention,omitempty" json:"first_mention,omitempty"`
	TownRights     *Date   `yaml:"town_rights,omitempty" json:"town_rights,omitempty"`
	AreaKm2        float64 `yaml:"area_km2,omitempty" json:"area_km2,omitempty"`
	// Location says where the place lies, in words.
	Location Text `yaml:"location,omitempty" json:"location,omitempty"`
}

// Link is a web link with an optional title.
type Link struct {
	URL   string `yaml:"url" json:"url"`
	Title Text   `yaml:"title,omitempty" json:"title,omitempty"`
}

// Exchange is an (upcoming) exchange, usually of young people, residents
// can sign up for.
type Exchange struct {
	ID string `yaml:"id" json:"id"`
	// Demo marks an example exchange; the bot presents it as one.
	Demo        bool      `yaml:"demo,omitempty" json:"demo,omitempty"`
	Town        string    `yaml:"town" json:"town"`
	Partners    []string  `yaml:"partners,omitempty" json:"partners,omitempty"`
	Title       Text      `yaml:"title" json:"title"`
	Description Text      `yaml:"description,omitempty" json:"description,omitempty"`
	Start       *Date     `yaml:"start" json:"start"`
	End         *Date     `yaml:"end,omitempty" json:"end,omitempty"`
	Place       Text      `yaml:"place,omitempty" json:"place,omitempty"`
	Audience    *Audience `yaml:"audience,omitempty" json:"audience,omitempty"`
	// Capacity is the number of places; 0 means unlimited.
	Capacity int `yaml:"capacity,omitempty" json:"capacity,omitempty"`
	// RemindDays is how many days before the sign-up deadline subscribers
	// who have not signed up yet are reminded; 0 or absent: 3.
	RemindDays int      `yaml:"remind_days,omitempty" json:"remind_days,omitempty"`
	Signup     *Signup  `yaml:"signup,omitempty" json:"signup,omitempty"`
	Contact    *Contact `yaml:"contact,omitempty" json:"contact,omitempty"`
}

// Audience is who an exchange is for.
type Audience struct {
	MinAge int  `yaml:"min_age,omitempty" json:"min_age,omitempty"`
	MaxAge int  `yaml:"max_age,omitempty" json:"max_age,omitempty"`
	Text   Text `yaml:"text,omitempty" json:"text,omitempty"`
}

// Sign-up fields an exchange may ask for.
const (
	FieldName      = "name"
	FieldBirthDate = "birth_date"
	FieldEmail     = "email"
	FieldPhone     = "phone"
	FieldContact   = "contact" // e-mail or phone
	FieldGuardian  = "guardian"
	FieldConsent   = "consent"
	FieldNotes     = "notes"
)

// signupFields are the valid Signup.Fields values.
var signupFields = []string{FieldName, FieldBirthDate, FieldEmail, FieldPhone, FieldContact, FieldGuardian, FieldConsent, FieldNotes}

// Signup says when and how residents sign up for an exchange.
type Signup struct {
	Opens    *Date `yaml:"opens,omitempty" json:"opens,omitempty"`
	Deadline *Date `yaml:"deadline,omitempty" json:"deadline,omitempty"`
	// Fields the sign-up asks for; empty means the default
	// (name, birth_date, contact, guardian when under age, consent).
	Fields []string `yaml:"fields,omitempty" json:"fields,omitempty"`
}

// News is a piece of twinning news.
type News struct {
	ID   string `yaml:"id" json:"id"`
	Town string `yaml:"town" json:"town"`
	// Date is the publication date; EventDate when what it tells happened.
	Date      *Date    `yaml:"date" json:"date"`
	EventDate *Date    `yaml:"event_date,omitempty" json:"event_date,omitempty"`
	Title     Text     `yaml:"title" json:"title"`
	Body      Text     `yaml:"body" json:"body"`
	Author    Text     `yaml:"author,omitempty" json:"author,omitempty"`
	Partners  []string `yaml:"partners,omitempty" json:"partners,omitempty"`
	// Places are other places the news is about (a town that is not a
	// partner yet), so residents can find it by their names.
	Places []Place `yaml:"places,omitempty" json:"places,omitempty"`
	Source string  `yaml:"source,omitempty" json:"source,omitempty"`
	// Views is the number of views the source page showed when the item
	// was copied from it (0: not known).
	Views int `yaml:"views,omitempty" json:"views,omitempty"`
}

// Place is a named place mentioned by news.
type Place struct {
	Name    Text     `yaml:"name" json:"name"`
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Country string   `yaml:"country,omitempty" json:"country,omitempty"`
}
