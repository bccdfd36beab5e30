package detector

import "github.com/bmatcuk/doublestar/v4"

// matchAny reports whether path matches one of the doublestar globs.
func matchAny(globs []string, path string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, path); ok {
			return true
		}
	}
	return false
}

// appliesTo reports whether rule c runs on path: within its paths (when it
// has any), and outside its own and the pack's allow_paths.
func (d *Detector) appliesTo(c *compiledRule, path string) bool {
	if len(c.rule.Paths) > 0 && !matchAny(c.rule.Paths, path) {
		return false
	}
	return !matchAny(c.rule.AllowPaths, path) && !matchAny(d.pack.Allow.Paths, path)
}
