package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxAge is how old a report the promotion gate accepts by default.
const DefaultMaxAge = 24 * time.Hour

// clockSkew tolerates hosts whose clocks differ a little.
const clockSkew = 5 * time.Minute

// ErrUnreadable marks a report that cannot be read or parsed (exit 2);
// any other Verify error is a report that does not pass (exit 1).
var ErrUnreadable = errors.New("unreadable report")

// ErrStale marks a passing report older than the age allowed: a new scan
// (with the logs, as the policy's check runs it) is the way out, which a
// caller names in its terms.
var ErrStale = errors.New("stale")

// Verification is what Verify found out about a passing report.
type Verification struct {
	GeneratedAt time.Time
	Age         time.Duration
	Report      *Report
}

// Verify checks that the file at path is a latest.json (schema version 1)
// with status pass, generated no more than maxAge before now and not in
// the future.
func Verify(path string, maxAge time.Duration, now time.Time) (*Verification, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: %s is not valid JSON (%v); was the scan interrupted?", ErrUnreadable, path, err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a keygate report: %v", path, err)
	}
	for _, field := range []string{"schema_version", "status", "generated_at", "summary", "findings"} {
		if _, ok := probe[field]; !ok {
			return nil, fmt.Errorf("%s: not a keygate report: %q is missing", path, field)
		}
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("%s: schema_version %d is not one this keygate knows (%d); upgrade keygate or regenerate the report", path, r.SchemaVersion, SchemaVersion)
	}
	at, err := time.Parse(time.RFC3339, r.GeneratedAt)
	if err != nil {
		return nil, fmt.Errorf("%s: generated_at %q is not an RFC 3339 time", path, r.GeneratedAt)
	}
	age := now.Sub(at)
	switch {
	case age < -clockSkew:
		return nil, fmt.Errorf("%s: generated_at %s is in the future (%s ahead of this host): refusing it", path, r.GeneratedAt, (-age).Round(time.Second))
	case age > maxAge:
		return nil, fmt.Errorf("%s: %w: generated %s ago, more than the %s allowed; scan again", path, ErrStale, age.Round(time.Second), maxAge)
	}
	if r.Status != StatusPass {
		why := Plural(r.Summary.Findings, "finding", "findings")
		if r.Status == StatusError {
			why = fmt.Sprintf("the scan was incomplete (%s)", Plural(len(r.Errors), "error", "errors"))
		}
		return nil, fmt.Errorf("%s: status is %q, not pass: %s", path, r.Status, why)
	}
	if r.Summary.Findings != 0 || len(r.Findings) != 0 {
		return nil, fmt.Errorf("%s: status says pass but the report lists findings: refusing an inconsistent report", path)
	}
	if len(r.Errors) != 0 {
		return nil, fmt.Errorf("%s: status says pass but the report lists %d errors (an incomplete scan): refusing an inconsistent report", path, len(r.Errors))
	}
	return &Verification{GeneratedAt: at, Age: max(age, 0), Report: &r}, nil
}

var daysRE = regexp.MustCompile(`^(\d+)d$`)

// ParseMaxAge accepts Go durations (90m, 36h) and days (7d).
func ParseMaxAge(s string) (time.Duration, error) {
	if m := daysRE.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		n, _ := strconv.Atoi(m[1])
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("maximum age %q: want a positive duration such as 90m, 36h or 7d", s)
	}
	return d, nil
}
