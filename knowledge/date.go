package knowledge

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date that may be known only to the month or the year:
// "1995-07-15", "1995-07" or "1995" in YAML.
type Date struct {
	Year  int
	Month int // 0 when only the year is known
	Day   int // 0 when only the year or month is known
}

// ErrBadDate is returned for a date that is not of the form YYYY, YYYY-MM
// or YYYY-MM-DD, or that does not exist (2023-02-30).
var ErrBadDate = errors.New("not a date")

// ParseDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, fmt.Errorf("%w: %q (write YYYY-MM-DD, YYYY-MM or YYYY)", ErrBadDate, s)
	}
	var n [3]int
	for i, p := range parts {
		if (i > 0 && len(p) != 2) || p == "" {
			return Date{}, fmt.Errorf("%w: %q (write YYYY-MM-DD, YYYY-MM or YYYY)", ErrBadDate, s)
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Date{}, fmt.Errorf("%w: %q (write YYYY-MM-DD, YYYY-MM or YYYY)", ErrBadDate, s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if len(parts) >= 2 && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("%w: %q has no month %d", ErrBadDate, s, d.Month)
	}
	if len(parts) == 3 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return Date{}, fmt.Errorf("%w: %q: %s %d has %d days", ErrBadDate, s, time.Month(d.Month), d.Year, last)
		}
	}
	return d, nil
}

// String formats d as it is written in YAML.
func (d Date) String() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time is the first moment of d in loc (the first of the month or of the
// year when the day or month is unknown).
func (d Date) Time(loc *time.Location) time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, loc)
}

// End is the first moment after d: the next day, month or year.
func (d Date) End(loc *time.Location) time.Time {
	t := d.Time(loc)
	switch {
	case d.Month == 0:
		return t.AddDate(1, 0, 0)
	case d.Day == 0:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// Before reports whether d starts before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// UnmarshalYAML reads a date from a YAML scalar. (It is goccy/go-yaml's
// InterfaceUnmarshaler: its BytesUnmarshaler re-serializes the rest of the
// document for every call, which made loading quadratic.)
func (d *Date) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err != nil {
		return fmt.Errorf("%w: %v", ErrBadDate, err)
	}
	return d.parse(s)
}

func (d *Date) parse(s string) error {
	v, err := ParseDate(strings.Trim(strings.TrimSpace(s), `"'`))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML writes d as a string.
func (d Date) MarshalYAML() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON reads a date from a JSON string.
func (d *Date) UnmarshalJSON(b []byte) error { return d.parse(string(b)) }

// MarshalJSON writes d as a JSON string.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }
