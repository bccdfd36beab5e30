package scan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/keygate/keygate/gitleaksignore"
)

// Bounds on what the unused .gitleaksignore entries say: a file carried
// over from gitleaks can name its own rules on millions of lines, and one
// warning each (then masked, printed and written to the report) took
// gigabytes and most of a minute.
const (
	maxUnusedRules = 20 // rule ids named, in order of first entry
	maxUnusedLines = 5  // lines named for each
)

// unusedEntries gathers the entries of rule ids keygate does not know:
// for each of the first maxUnusedRules ids, its count and first lines;
// past them, only a count.
type unusedEntries struct {
	order  []string
	byRule map[string]*unusedRule
	others int // entries of ids past maxUnusedRules
}

type unusedRule struct {
	n     int
	lines []int
}

func (u *unusedEntries) add(e gitleaksignore.Entry) {
	r, ok := u.byRule[e.RuleID]
	if !ok {
		if len(u.order) == maxUnusedRules {
			u.others++
			return
		}
		if u.byRule == nil {
			u.byRule = map[string]*unusedRule{}
		}
		r = &unusedRule{}
		u.byRule[e.RuleID] = r
		u.order = append(u.order, e.RuleID)
	}
	r.n++
	if len(r.lines) < maxUnusedLines {
		r.lines = append(r.lines, e.At)
	}
}

// warnings says, for each rule id, that its entries match nothing, at the
// line of its first entry.
func (u *unusedEntries) warnings() []string {
	var out []string
	for _, id := range u.order {
		r := u.byRule[id]
		msg := fmt.Sprintf("%s:%d: unused: rule %q is no keygate rule (nor a gitleaks rule keygate has): ", gitleaksignore.FileName, r.lines[0], id)
		if r.n == 1 {
			out = append(out, msg+"the entry matches nothing")
			continue
		}
		lines := make([]string, len(r.lines))
		for i, l := range r.lines {
			lines[i] = strconv.Itoa(l)
		}
		which := strings.Join(lines, ", ")
		if more := r.n - len(r.lines); more > 0 {
			which += fmt.Sprintf(" and %d more", more)
		}
		out = append(out, fmt.Sprintf("%sits %d entries match nothing (lines %s)", msg, r.n, which))
	}
	if u.others > 0 {
		out = append(out, fmt.Sprintf("%s: unused: %d more entries name other rule ids keygate does not know (past the first %d ids) and match nothing", gitleaksignore.FileName, u.others, maxUnusedRules))
	}
	return out
}
