package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// runCheck is `twinbot check [--kb DIR] [--lang CODE]`: it loads a knowledge
// base (the embedded one by default) and prints a summary when it is valid
// (exit 0) or every problem, "file:line:col: message" with file relative to
// the folder, when it is not (exit 1). Usage errors exit 2.
func runCheck(args []string, env func(string) string, stdout, stderr io.Writer) int {
	fl := newFlags("check", stderr)
	kbDir := fl.String("kb", "", "knowledge base `folder` to check (default: the embedded one)")
	lang := fl.String("lang", "", "`language` of the messages: "+strings.Join(checkLanguages(), ", ")+" (default: from LC_ALL, LC_MESSAGES or LANG, else en)")
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "usage: twinbot check [--kb DIR] [--lang CODE]\n\n"+
			"Checks a knowledge base and lists its problems. It reads only its command line\n"+
			"(no TWINBOT_ variable); the messages' language defaults to the locale.\n\n")
		fl.PrintDefaults()
	}
	rest, err := parseArgs(fl, args, stdout)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "twinbot check: %v\n", err)
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "twinbot check: unexpected argument %q\n", rest[0])
		fl.SetOutput(stderr)
		fl.Usage()
		return 2
	}
	code, err := checkLanguage(*lang, env)
	if err != nil {
		fmt.Fprintf(stderr, "twinbot check: %v\n", err)
		return 2
	}
	loc, err := checkLocalizer(code)
	if err != nil {
		fmt.Fprintf(stderr, "twinbot check: %v\n", err)
		return 1
	}

	var fsys fs.FS = knowledge.Default()
	if *kbDir != "" {
		st, err := os.Stat(*kbDir)
		if err != nil {
			fmt.Fprintf(stderr, "twinbot check: %v\n", err)
			return 1
		}
		if !st.IsDir() {
			fmt.Fprintf(stderr, "twinbot check: %s is not a folder\n", *kbDir)
			return 1
		}
		fsys = os.DirFS(*kbDir)
	}
	kb, err := knowledge.Load(fsys)
	var ps knowledge.Problems
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			fmt.Fprintln(stdout, p.Localize(loc))
		}
		fmt.Fprintln(stdout, localize(loc, "check.count", map[string]any{"Count": len(ps)}))
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "twinbot check: %v\n", err)
		return 1
	}
	partners := 0
	for _, t := range kb.Towns {
		partners += len(t.Partners)
	}
	fmt.Fprintln(stdout, localize(loc, "check.summary", map[string]any{
		"Towns": len(kb.Towns), "Partners": partners, "Exchanges": len(kb.Exchanges), "News": len(kb.News),
		"Languages": strings.Join(kb.Languages(), ", "),
	}))
	return 0
}

// localizedKBError is err with the knowledge base's problems in it (a
// folder without a town, a file that does not parse) in the language of the
// environment's locale, as `twinbot check` shows them; other errors are
// returned as they are.
func localizedKBError(err error, env func(string) string) error {
	var ps knowledge.Problems
	if !errors.As(err, &ps) {
		return err
	}
	code, lerr := checkLanguage("", env)
	if lerr != nil || code == "en" {
		return err
	}
	loc, lerr := checkLocalizer(code)
	if lerr != nil {
		return err
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Localize(loc)
	}
	return errors.New(strings.Replace(err.Error(), ps.Error(), strings.Join(lines, "\n"), 1))
}

// checkLanguages lists the languages of the check's catalogs
// (locales/messages/check.<lang>.yaml).
func checkLanguages() []string {
	files, _ := fs.Glob(locales.FS(), "messages/check.*.yaml")
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(path.Base(f), "check."), ".yaml"))
	}
	slices.Sort(out)
	return out
}

// checkLanguage picks the language of the messages: --lang (or
// TWINBOT_LANG), which must have a catalog, else the locale of the
// environment when there is a catalog for it, else English.
func checkLanguage(flagLang string, env func(string) string) (string, error) {
	have := checkLanguages()
	if flagLang != "" {
		code := bot.BaseLang(flagLang)
		if !slices.Contains(have, code) {
			return "", fmt.Errorf("no messages in language %q; there are: %s", flagLang, strings.Join(have, ", "))
		}
		return code, nil
	}
	if code := bot.BaseLang(localeFromEnv(env)); slices.Contains(have, code) {
		return code, nil
	}
	return "en", nil
}

// checkLocalizer is a localizer for the check's messages in lang, falling
// back to English.
func checkLocalizer(lang string) (*i18n.Localizer, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range []string{"en", lang} {
		if _, err := b.LoadMessageFileFS(locales.FS(), "messages/check."+l+".yaml"); err != nil {
			return nil, fmt.Errorf("messages: %w", err)
		}
	}
	return i18n.NewLocalizer(b, lang, "en"), nil
}

// localize renders a message of the check's catalog, in English when the
// catalog lacks it.
func localize(l *i18n.Localizer, id string, data map[string]any) string {
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if s == "" && err != nil {
		return fmt.Sprintf("%s %v", id, data)
	}
	return s
}
