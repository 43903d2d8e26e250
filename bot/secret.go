package bot

import "log/slog"

// Secret is a value that must never reach a log or an error message: a bot
// token, a webhook secret. It prints and logs as REDACTED; string(s) gives
// the value to the one place that needs it.
type Secret string

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String keeps the secret out of fmt's verbs.
func (Secret) String() string { return "REDACTED" }

// GoString keeps the secret out of %#v.
func (Secret) GoString() string { return `"REDACTED"` }
