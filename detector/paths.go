package detector

import "github.com/keygate/keygate/internal/glob"

// activeRules returns which rules apply to path (nil: all of them). A rule
// runs on path when path is within its paths (when it has any), and
// outside its own and the pack's allow_paths. Only the rules limited by
// paths (scoped) are matched: asking each of 300 rules, and the pack's
// allow_paths once per rule, was a twentieth of a working tree's CPU.
func (d *Detector) activeRules(path string, m matchers) []bool {
	if m.rule != anyRule {
		active := make([]bool, len(d.rules))
		active[m.rule] = true
		return active
	}
	if !d.pathRules {
		return nil
	}
	if glob.Any(d.pack.Allow.Paths, path) {
		return make([]bool, len(d.rules)) // none
	}
	var active []bool
	for _, i := range d.scoped {
		if r := d.rules[i].rule; (len(r.Paths) == 0 || glob.Any(r.Paths, path)) && !glob.Any(r.AllowPaths, path) {
			continue
		}
		if active == nil {
			active = make([]bool, len(d.rules))
			for j := range active {
				active[j] = true
			}
		}
		active[i] = false
	}
	return active
}
