package report

import (
	"fmt"

	"github.com/keygate/keygate/rules"
)

// Severity is a finding's severity, ordered low < medium < high < critical.
type Severity string

// severityRank orders the severities; a severity not in it ranks above
// critical, so a finding of an unknown severity is never let through.
var severityRank = map[Severity]int{
	rules.SeverityLow: 1, rules.SeverityMedium: 2, rules.SeverityHigh: 3, rules.SeverityCritical: 4,
}

// ParseSeverity reads a --fail-on value.
func ParseSeverity(s string) (Severity, error) {
	if _, ok := severityRank[Severity(s)]; !ok {
		return "", fmt.Errorf("severity %q: want low, medium, high or critical", s)
	}
	return Severity(s), nil
}

func (s Severity) rank() int {
	if r, ok := severityRank[s]; ok {
		return r
	}
	return len(severityRank) + 1
}

// ExitCodeFailingOn is ExitCode when only findings of severity min or
// above fail: a report whose findings are all below min exits 0. The
// report itself is unchanged (its status still says fail): the evidence
// keeps every finding, only the gate is lowered.
func (r *Report) ExitCodeFailingOn(min Severity) int {
	if r.Status != StatusFail {
		return r.ExitCode()
	}
	for _, f := range r.Findings {
		if Severity(f.Severity).rank() >= min.rank() {
			return r.ExitCode()
		}
	}
	return 0
}
