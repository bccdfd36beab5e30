// Package trust decides whose policy judges a range scan, and what the
// judged change did to that policy.
//
// A working-tree or staged scan runs for the person at the keyboard and
// reads the local policy. A range scan (A..B) judges someone else's
// change: its configuration, rule packs, baseline and .gitleaksignore are
// read from the base commit A, an inline allow comment counts only where
// A held the same line, and every suppression the range adds is a
// finding of its own (rule suppression-added-<mechanism>, severity high)
// until a maintainer accepts it (--accept-policy-changes), when the
// head's policy applies and what it suppresses is listed as suppressed.
// Nothing here reads the working tree: both sides are commits' trees.
package trust

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/gitleaksignore"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/source"
)

// Range is the two policies of a range: the base's, which judges it, and
// the head's, which the range proposes.
type Range struct {
	// Base and Head are full commit ids.
	Base, Head     string
	BaseFS, HeadFS fs.FS
	BaseConfig     *config.Config
	// HeadConfig is nil when the head's .keygate.yaml does not load
	// (HeadErr says why): the range is still judged by the base, and the
	// change is a policy change.
	HeadConfig *config.Config
	HeadErr    error

	baseFiles map[string][][]byte // InlineAtBase's cache: path -> lines
}

// Open reads the policy of both ends of a range of repo: base is the
// commit that judges it (A of A..B, source.Revs.Base), head the change
// judged, both full commit ids. The base's configuration must load (exit
// 2 otherwise, as a bad local one would).
func Open(repo *source.Repo, base, head string) (*Range, error) {
	var err error
	r := &Range{Base: base, Head: head, baseFiles: map[string][][]byte{}}
	if r.BaseFS, err = repo.TreeFS(base); err != nil {
		return nil, err
	}
	if r.HeadFS, err = repo.TreeFS(head); err != nil {
		return nil, err
	}
	if r.BaseConfig, err = config.LoadFS(r.BaseFS, r.BaseName()+":"+config.FileName); err != nil {
		return nil, fmt.Errorf("the range's base policy: %w", err)
	}
	r.HeadConfig, r.HeadErr = config.LoadFS(r.HeadFS, r.HeadName()+":"+config.FileName)
	return r, nil
}

// BaseName names the base commit in messages ("commit 1a2b3c4d5e6f").
func (r *Range) BaseName() string { return "commit " + short(r.Base) }

// HeadName names the head commit in messages.
func (r *Range) HeadName() string { return "commit " + short(r.Head) }

func short(id string) string { return id[:min(len(id), 12)] }

// InlineAtBase reports whether the base commit's file at path holds line
// (its text, line ending aside): an inline allow comment counts in a range
// only where the base already carried it on the same line.
func (r *Range) InlineAtBase(p string, line []byte) bool {
	lines, ok := r.baseFiles[p]
	if !ok {
		data, err := fs.ReadFile(r.BaseFS, p)
		if err == nil {
			for l := range bytes.SplitSeq(data, []byte{'\n'}) {
				lines = append(lines, bytes.TrimSuffix(l, []byte{'\r'}))
			}
		}
		r.baseFiles[p] = lines
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return slices.ContainsFunc(lines, func(l []byte) bool { return bytes.Equal(l, line) })
}

// maxPolicyFindings is how many policy changes of one mechanism in one
// file are findings each.
const maxPolicyFindings = 100

// Changes are the suppressions the range adds outside the lines of its
// files: configuration fields, .gitleaksignore entries, baseline entries
// and rule packs, each a suppression-added finding at the head's file and
// line (the head commit). Inline allow comments are judged by the scan
// (InlineAtBase), on the lines they suppress.
func (r *Range) Changes() ([]scan.Finding, error) {
	var out []scan.Finding
	// Past maxPolicyFindings changes of one mechanism in one file, the
	// rest are one finding, at the first of them: the range still fails,
	// and a pull request adding a million .gitleaksignore lines does not
	// make a million findings (2.7 GB and four minutes for one million).
	type overflow struct {
		m       scan.PolicyMechanism
		path    string
		n, line int
	}
	var order []*overflow
	seen := map[[2]string]*overflow{}
	add := func(m scan.PolicyMechanism, p string, line int, detail string) {
		k := [2]string{string(m), p}
		o := seen[k]
		if o == nil {
			o = &overflow{m: m, path: p}
			seen[k] = o
		}
		o.n++
		if o.n <= maxPolicyFindings {
			out = append(out, scan.PolicyFinding(m, p, line, r.Head, detail))
			return
		}
		if o.line == 0 {
			o.line = line
			order = append(order, o)
		}
	}
	baseRaw, err := readOptional(r.BaseFS, config.FileName)
	if err != nil {
		return nil, err
	}
	headRaw, err := readOptional(r.HeadFS, config.FileName)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(baseRaw, headRaw) {
		if r.HeadConfig == nil {
			add(scan.PolicyConfig, config.FileName, 1, "the head's "+config.FileName+" does not load; the base's applies")
		} else {
			for _, c := range configChanges(r.BaseConfig, r.HeadConfig) {
				add(scan.PolicyConfig, config.FileName, keyLine(headRaw, c), c+" changed in "+config.FileName)
			}
		}
	}
	if err := r.ignoreChanges(add); err != nil {
		return nil, err
	}
	if err := r.baselineChanges(add); err != nil {
		return nil, err
	}
	if err := r.packChanges(add); err != nil {
		return nil, err
	}
	for _, o := range order {
		more := o.n - maxPolicyFindings
		out = append(out, scan.PolicyFinding(o.m, o.path, o.line, r.Head,
			fmt.Sprintf("and %d more changes the base did not hold, from this line on (the first %d are findings of their own)", more, maxPolicyFindings)))
	}
	return out, nil
}

// policyFields are the configuration's fields that decide what is found
// or suppressed; a change to any of them is a policy change.
var policyFields = []struct {
	key string
	get func(*config.Config) any
}{
	{"scopes", func(c *config.Config) any { return c.Scopes }},
	{"log_scopes", func(c *config.Config) any { return c.LogScopes }},
	{"blocked_paths", func(c *config.Config) any { return c.BlockedPaths }},
	{"allow_paths", func(c *config.Config) any { return c.AllowPaths }},
	{"rules", func(c *config.Config) any { return c.Rules }},
	{"baseline", func(c *config.Config) any { return c.Baseline }},
	{"env_file", func(c *config.Config) any { return c.EnvFile }},
	{"secret_env", func(c *config.Config) any { return c.SecretEnv }},
}

func configChanges(base, head *config.Config) []string {
	var out []string
	for _, f := range policyFields {
		if fmt.Sprint(f.get(base)) != fmt.Sprint(f.get(head)) {
			out = append(out, f.key)
		}
	}
	return out
}

// keyLine is the line of a top-level key in a YAML file, or 1.
func keyLine(data []byte, key string) int {
	n := 1
	for l := range bytes.SplitSeq(data, []byte{'\n'}) {
		if bytes.HasPrefix(l, []byte(key+":")) {
			return n
		}
		n++
	}
	return 1
}

// ignoreChanges files each .gitleaksignore entry the base did not hold.
func (r *Range) ignoreChanges(add func(scan.PolicyMechanism, string, int, string)) error {
	baseRaw, err := readOptional(r.BaseFS, gitleaksignore.FileName)
	if err != nil {
		return err
	}
	headRaw, err := readOptional(r.HeadFS, gitleaksignore.FileName)
	if err != nil || bytes.Equal(baseRaw, headRaw) {
		return err
	}
	gitleaksignore.Added(baseRaw, headRaw, func(n int) {
		add(scan.PolicyGitleaksIgnore, gitleaksignore.FileName, n, "a .gitleaksignore entry the base did not hold")
	})
	return nil
}

// baselineChanges files each baseline entry the base did not accept.
func (r *Range) baselineChanges(add func(scan.PolicyMechanism, string, int, string)) error {
	if r.HeadConfig == nil || r.HeadConfig.Baseline == "" {
		return nil
	}
	var held *baseline.File // nil holds nothing
	if r.BaseConfig.Baseline != "" {
		if p, ok := inTree(r.BaseConfig.Baseline); ok {
			if b, err := baseline.LoadFS(r.BaseFS, p, r.BaseName()+":"+p); err == nil {
				held = b
			}
		}
	}
	p, ok := inTree(r.HeadConfig.Baseline)
	if !ok {
		return nil // the head names a file outside the tree: a config change already
	}
	raw, err := readOptional(r.HeadFS, p)
	if err != nil || raw == nil {
		return err
	}
	b, err := baseline.Parse(r.HeadName()+":"+p, raw)
	if err != nil {
		add(scan.PolicyBaseline, p, 1, "the head's baseline does not load; the base's applies")
		return nil
	}
	from, fromLine := 0, 1 // entries come in file order: search on from the last one
	place := func(fp string) int {
		if i := bytes.Index(raw[from:], []byte(fp)); i >= 0 {
			line := fromLine + bytes.Count(raw[from:from+i], []byte{'\n'})
			from, fromLine = from+i, line
			return line
		}
		if i := bytes.Index(raw, []byte(fp)); i >= 0 {
			return 1 + bytes.Count(raw[:i], []byte{'\n'})
		}
		return 1
	}
	added := 0
	return b.Each(func(e baseline.Entry) {
		if held.Has(e.Fingerprint) {
			return
		}
		added++
		// Past the findings Changes places, entries are counted, not
		// placed: a fingerprint written with JSON escapes is not in the raw
		// text, and searching the whole file for each of a million such
		// entries would not end.
		line := 1
		if added <= maxPolicyFindings+1 {
			line = place(e.Fingerprint)
		}
		add(scan.PolicyBaseline, p, line, "a baseline entry (rule "+e.RuleID+") the base did not accept")
	})
}

// packChanges files each rule pack the head's configuration names whose
// content the base did not hold at that path, at its first changed line.
func (r *Range) packChanges(add func(scan.PolicyMechanism, string, int, string)) error {
	if r.HeadConfig == nil {
		return nil
	}
	for _, name := range r.HeadConfig.Rules {
		p, ok := inTree(name)
		if !ok {
			continue // outside the tree: the rules field changed, a config change
		}
		baseData, err := readOptional(r.BaseFS, p)
		if err != nil {
			return err
		}
		headData, err := readOptional(r.HeadFS, p)
		if err != nil {
			return err
		}
		if bytes.Equal(baseData, headData) && baseData != nil {
			continue
		}
		add(scan.PolicyPack, p, firstChangedLine(baseData, headData), "a rule pack the base did not hold (its rules and allow lists replace the base's)")
	}
	return nil
}

func firstChangedLine(a, b []byte) int {
	al, bl := bytes.Split(a, []byte{'\n'}), bytes.Split(b, []byte{'\n'})
	for i := range bl {
		if i >= len(al) || !bytes.Equal(al[i], bl[i]) {
			return i + 1
		}
	}
	return max(len(bl), 1)
}

// inTree is a configured path as a name in a commit's tree.
func inTree(p string) (string, bool) {
	rel := path.Clean(filepath.ToSlash(p))
	return rel, fs.ValidPath(rel) && rel != "."
}

// readOptional reads a file of a tree; a missing one is nil.
func readOptional(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// Hidden returns the findings the base's policy reports (base) that the
// head's (head, the accepted policy) neither reports nor suppresses: the
// secrets an accepted pack or blocked_paths change stops finding, listed
// as suppressed so that accepting a change never hides what it hides.
func Hidden(base, head *scan.Result) []scan.Finding {
	type key struct {
		path, commit, masked string
		line                 int
	}
	seen := map[key]bool{}
	for _, fs := range [][]scan.Finding{head.Findings, head.Suppressed} {
		for _, f := range fs {
			seen[key{f.Path, f.Commit, f.Masked, f.Line}] = true
		}
	}
	var out []scan.Finding
	for _, f := range base.Findings {
		if f.Source == scan.SourcePolicy || seen[key{f.Path, f.Commit, f.Masked, f.Line}] {
			continue
		}
		f.Suppressed = scan.SuppressedPack
		if f.RuleID == scan.BlockedPathRuleID {
			f.Suppressed = scan.SuppressedBlocked
		}
		out = append(out, f)
	}
	return out
}
