package scan

import "github.com/keygate/keygate/source"

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
