package scan

import (
	"strings"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/glob"
	"github.com/keygate/keygate/source"
)

// templateSuffixes mark committable templates of blocked files; their
// content is still scanned, so real values in them are still found.
var templateSuffixes = []string{".example", ".sample", ".template", ".dist", ".tmpl"}

// Blocked reports whether path matches a blocked glob and is not a
// template, ignoring letter case in both (`KEY.PEM`, `ID_RSA`, `.ENV`
// are the same files to a user, and to a case-insensitive file system).
func Blocked(globs []string, path string) bool {
	return NewBlocker(globs).Blocked(path)
}

// Blocker is Blocked with its globs read once, for the many paths of a
// scan.
type Blocker struct{ globs *glob.FoldSet }

// NewBlocker reads globs.
func NewBlocker(globs []string) Blocker { return Blocker{glob.NewFoldSet(globs)} }

// Blocked is Blocked(globs, path) of b's globs.
func (b Blocker) Blocked(path string) bool {
	lower := strings.ToLower(path)
	for _, s := range templateSuffixes {
		if strings.HasSuffix(lower, s) {
			return false
		}
	}
	return b.globs.Match(path)
}

// blockedFinding is the finding of a blocked path, whatever it holds.
func blockedFinding(path string) Finding {
	return Finding{RuleID: BlockedPathRuleID, Severity: "critical", Path: path, Line: 1, Column: 1,
		Fingerprint: detector.Fingerprint(BlockedPathRuleID, path, ""), Source: SourcePath}
}

// foldBlocked makes each blocked file a working-tree scan reads (env/.env
// in `keygate scan .`, a key file under docs/) one blocked-path finding:
// the file must never be committed, whatever it holds. Its content
// findings are folded into it, not listed: the file's whole point is to
// hold credentials, so a line-by-line list would only add advice that does
// not apply (an allow comment on a live value) and bury the one thing to
// do. The file is still read, so its bytes count as scanned.
func (o *Options) foldBlocked(r *Result, blocked []string, w *source.FileList) {
	hit := map[string]bool{}
	b := NewBlocker(blocked)
	for _, f := range w.Files {
		if b.Blocked(f.Path) {
			hit[f.Path] = true
		}
	}
	if len(hit) == 0 {
		return
	}
	keep := func(fs []Finding) []Finding {
		out := fs[:0]
		for _, f := range fs {
			// A secret in the file's name is still its own finding.
			if !hit[f.Path] || f.Source == SourcePath {
				out = append(out, f)
			}
		}
		return out
	}
	r.Findings, r.Suppressed = keep(r.Findings), keep(r.Suppressed)
	for _, f := range w.Files {
		if hit[f.Path] {
			o.add(r, blockedFinding(f.Path))
		}
	}
	sortFindings(r)
}
