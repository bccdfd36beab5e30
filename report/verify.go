package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/keygate/keygate/internal/lazyre"
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
	if err := checkEvidence(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Verification{GeneratedAt: at, Age: max(age, 0), Report: &r}, nil
}

// ErrNoEvidence marks a passing report that does not show what it
// scanned: no rule pack, nothing scanned, files left unread, no inputs
// digest. A pass like that proves nothing.
var ErrNoEvidence = errors.New("a pass that proves nothing")

var sha256Hex = lazyre.New(`^[0-9a-f]{64}$`)

// checkEvidence refuses a passing report that could not have come from a
// complete scan: a hand-written {"status": "pass"} with a fresh date, a
// scan of 0 files (an empty or mistyped scope), a scan that left files in
// scope unread.
func checkEvidence(r *Report) error {
	switch {
	case !sha256Hex.MatchString(r.RulePack.SHA256) || r.RulePack.Name == "":
		return fmt.Errorf("%w: it names no rule pack (name and sha256): not the report of a keygate scan", ErrNoEvidence)
	case r.Mode == "history" && r.Summary.CommitsScanned == 0:
		return fmt.Errorf("%w: 0 commits scanned", ErrNoEvidence)
	case r.Mode != "history" && r.Summary.FilesScanned == 0:
		return fmt.Errorf("%w: 0 files scanned (do the scopes match the files?)", ErrNoEvidence)
	}
	unread := 0
	for _, s := range r.Skipped {
		if !s.Configured {
			unread++
		}
	}
	if unread > 0 {
		return fmt.Errorf("%w: %s in scope not read and not excused by skip: (the first: %s: %s)", ErrNoEvidence, Plural(unread, "file", "files"), r.Skipped[0].Path, r.Skipped[0].Reason)
	}
	if r.Inputs == nil || !strings.HasPrefix(r.Inputs.Digest, "sha256:") || len(r.Inputs.Digest) != len("sha256:")+64 {
		return fmt.Errorf("%w: it has no inputs digest, so nothing ties it to what was scanned (keygate scan writes one)", ErrNoEvidence)
	}
	switch r.Inputs.Kind {
	case "files", "commits":
	default:
		return fmt.Errorf("%w: inputs of kind %q cannot be checked (verify checks working-tree and history scans)", ErrNoEvidence, r.Inputs.Kind)
	}
	return nil
}

var daysRE = lazyre.New(`^(\d+)d$`)

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
