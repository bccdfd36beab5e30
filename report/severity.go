package report

import (
	"fmt"

	"github.com/keygate/keygate/rules"
)

// ParseSeverity reads a --fail-on value.
func ParseSeverity(s string) (rules.Severity, error) {
	if !rules.Severity(s).Valid() {
		return "", fmt.Errorf("severity %q: want low, medium, high or critical", s)
	}
	return rules.Severity(s), nil
}

// ExitCodeFailingOn is ExitCode when only findings of severity min or
// above fail: a report whose findings are all below min exits 0. The
// report itself is unchanged (its status still says fail): the evidence
// keeps every finding, only the gate is lowered.
func (r *Report) ExitCodeFailingOn(min rules.Severity) int {
	if r.Status != StatusFail {
		return r.ExitCode()
	}
	for _, f := range r.Findings {
		if f.Severity.AtLeast(min) {
			return r.ExitCode()
		}
	}
	return 0
}
