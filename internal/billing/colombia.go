package billing

import (
	"fmt"
	"time"
)

// Colombia is the country's clock: UTC−5 all year (no daylight saving). A
// fixed zone, because time.LoadLocation fails on a machine without tzdata.
var Colombia = time.FixedZone("COT", -5*3600)

// Date is a Colombian calendar date (issue, validity and due dates). It is
// held as midnight UTC of that day, so that dates compare and subtract as
// plain instants; Date's zero value is no date.
type Date struct{ t time.Time }

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf is the Colombian calendar date at instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Colombia).Date()
	return NewDate(y, m, d)
}

// DateFromTime reads a date carried as midnight of a time.Time in any zone
// (as a generated API date or a pgtype.Date is), keeping its calendar fields.
func DateFromTime(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// Time is the date as midnight UTC, for codecs.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String writes YYYY-MM-DD.
func (d Date) String() string { return d.t.Format(time.DateOnly) }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// MarshalJSON writes "YYYY-MM-DD" (null for no date).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date %s: want a string YYYY-MM-DD", b)
	}
	v, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays is the date n days after d (before, for a negative n).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// DaysSince is how many days d is after e (negative when before).
func (d Date) DaysSince(e Date) int { return int(d.t.Sub(e.t).Hours() / 24) }
