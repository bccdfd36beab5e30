package scan

import (
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/redact"
	"github.com/keygate/keygate/source"
	"unicode/utf16"
	"unicode/utf8"
)

// namedPath is a path a scan met and, in history, the commit that brought
// it (nil elsewhere).
type namedPath struct {
	Path   string
	Commit *source.Commit
}

// scanPaths finds secrets in the names of the paths a scan met: a folder
// named after a passphrase, a file named after an API key. Each component
// is scanned once, at the path that ends with it (docs/<value> once, not
// once per file below it), with the commit that first brought it
// (history). The names go through the detector as one text, a name a
// line, so a history of many paths costs one pass; rules limited to paths
// do not apply to names. A finding's Source is SourcePath; its Line is 1
// and its Column the secret's character in the path.
func (o *Options) scanPaths(r *Result, paths []namedPath) {
	type name struct {
		path   string
		start  int // of the name in path
		commit *source.Commit
	}
	var names []name
	var text []byte
	seen := map[string]bool{}
	for _, p := range paths {
		start := 0
		for i := 0; i <= len(p.Path); i++ {
			if i < len(p.Path) && p.Path[i] != '/' {
				continue
			}
			prefix, from := p.Path[:i], start
			start = i + 1
			if from >= i || seen[prefix] {
				continue
			}
			seen[prefix] = true
			names = append(names, name{prefix, from, p.Commit})
			for j := from; j < i; j++ {
				c := p.Path[j]
				if c == '\n' {
					c = ' ' // one name, one line
				}
				text = append(text, c)
			}
			text = append(text, '\n')
		}
	}
	if len(names) == 0 {
		return
	}
	found, err := o.Detector.Scan(text, "")
	if err != nil {
		r.Errors = append(r.Errors, "scan of the paths' names: "+err.Error())
		return
	}
	for _, df := range found {
		if df.Line < 1 || df.Line > len(names) {
			continue
		}
		n := names[df.Line-1]
		f := Finding{
			RuleID:      df.RuleID,
			Severity:    df.Severity,
			Path:        n.path,
			Line:        1,
			Column:      utf8.RuneCountInString(n.path[:n.start]) + df.Column,
			ColumnUTF16: utf16Len(n.path[:n.start]) + df.ColumnUTF16,
			Masked:      detector.Mask(df.Secret),
			Fingerprint: detector.Fingerprint(df.RuleID, n.path, df.Secret),
			Source:      SourcePath,
			EnvName:     df.EnvName,
			// An inline allow in a file name is not honoured: it would let
			// a name carry both a secret and its own pass.
		}
		if n.commit != nil {
			setCommit(&f, *n.commit)
		}
		o.add(r, f)
	}
	sortFindings(r)
}

// walkPaths are the paths of a working-tree walk, scanned or skipped.
func walkPaths(w *source.FileList) []namedPath {
	out := make([]namedPath, 0, len(w.Files)+len(w.Skipped))
	for _, f := range w.Files {
		out = append(out, namedPath{Path: f.Path})
	}
	for _, s := range w.Skipped {
		out = append(out, namedPath{Path: s.Path})
	}
	return out
}

// masker masks every secret in the text a result carries beyond its
// findings' values: paths (which scanPaths reports but must not print),
// policy findings' details, and errors, warnings and skip reasons, which
// quote paths.
type masker struct {
	r    *redact.Redactor
	memo map[string]string
}

func newMasker(d *detector.Detector) *masker {
	return &masker{r: redact.FromDetector(d), memo: map[string]string{}}
}

func (m *masker) mask(s string) string {
	if s == "" {
		return s
	}
	out, ok := m.memo[s]
	if !ok {
		out = m.r.String(s)
		m.memo[s] = out
	}
	return out
}

// maskResult applies the masker to every path and message of r. It is the
// one place a result's text is masked: everything printed or written from
// a Result (text, JSON, Markdown, latest.json, SARIF, baseline) goes
// through it. Fingerprints keep the real path (they are one-way).
func maskResult(d *detector.Detector, r *Result) {
	m := newMasker(d)
	for _, fs := range [][]Finding{r.Findings, r.Suppressed} {
		for i := range fs {
			fs[i].Path = m.mask(fs[i].Path)
			fs[i].Author = m.mask(fs[i].Author) // a name and address anyone can set
			// A policy finding's detail quotes what the change wrote (a
			// baseline entry's rule id): a pull request can write a key there.
			fs[i].Detail = m.mask(fs[i].Detail)
		}
	}
	for i := range r.Skipped {
		r.Skipped[i].Path = m.mask(r.Skipped[i].Path)
		r.Skipped[i].Reason = m.mask(r.Skipped[i].Reason)
	}
	if r.Inputs != nil {
		// A PATH typed with a secret in it is masked here too; verify
		// then cannot list it again, and says so.
		for _, ss := range [][]string{r.Inputs.Paths, r.Inputs.Excluded} {
			for i := range ss {
				ss[i] = m.mask(ss[i])
			}
		}
	}
	for _, ss := range [][]string{r.Errors, r.Warnings} {
		for i := range ss {
			ss[i] = m.mask(ss[i])
		}
	}
}

// maskedError is an error whose message is masked; errors.Is and As still
// see the original.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// MaskError masks err's message as Run masks its own: for errors met
// before a scan runs (a revision that does not resolve).
func MaskError(d *detector.Detector, err error) error { return maskError(d, err) }

// maskError masks err's message when it quotes a secret (a path holding
// one, given to `keygate scan`).
func maskError(d *detector.Detector, err error) error {
	if err == nil {
		return nil
	}
	msg := newMasker(d).mask(err.Error())
	if msg == err.Error() {
		return err
	}
	return &maskedError{msg: msg, err: err}
}

// stagedPaths are the paths new to the commit: the names it adds.
func stagedPaths(changes []source.StagedChange) []namedPath {
	var out []namedPath
	for _, ch := range changes {
		if ch.New {
			out = append(out, namedPath{Path: ch.Path})
		}
	}
	return out
}

// historyPaths are the paths the history's changes bring (no parent had a
// file there), each with its commit; a range's baseline brings none.
func historyPaths(h *source.History) []namedPath {
	var out []namedPath
	for _, ch := range h.Changes {
		if newPath(ch) {
			out = append(out, namedPath{Path: ch.Path, Commit: &h.Commits[ch.Commit]})
		}
	}
	return out
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
