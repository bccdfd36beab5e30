package detector

import "github.com/keygate/keygate/internal/glob"

// appliesTo reports whether rule c runs on path: within its paths (when it
// has any), and outside its own and the pack's allow_paths.
func (d *Detector) appliesTo(c *compiledRule, path string) bool {
	if len(c.rule.Paths) > 0 && !glob.Any(c.rule.Paths, path) {
		return false
	}
	return !glob.Any(c.rule.AllowPaths, path) && !glob.Any(d.pack.Allow.Paths, path)
}
