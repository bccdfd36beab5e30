// Package scan orchestrates a scan: sources into the detector, then
// allowlists and baseline, blocked paths, parallelism and the summary. Its
// findings carry no secret value: only the masked form and a fingerprint
// leave this package, so no output built from them can leak.
package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/content"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/gitleaksignore"
	"github.com/keygate/keygate/internal/glob"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/source"
	"github.com/keygate/keygate/verifier"
)

// Mode is what a scan reads, as latest.json names it.
type Mode string

// Modes of a scan.
const (
	ModePaths   Mode = "paths"
	ModeStaged  Mode = "staged"
	ModeHistory Mode = "history"
	ModeStdin   Mode = "stdin"
)

// Suppression says why a known finding is accepted.
type Suppression string

// Suppression reasons.
const (
	SuppressedInline   Suppression = "inline"
	SuppressedPath     Suppression = "allow_paths"
	SuppressedBaseline Suppression = "baseline"
	// SuppressedGitleaksIgnore: an entry of .gitleaksignore.
	SuppressedGitleaksIgnore Suppression = "gitleaksignore"
	// SuppressedPack: the rule packs (or blocked_paths) the range's
	// accepted policy changes brought in no longer report it.
	SuppressedPack Suppression = "pack"
	// SuppressedBlocked: a blocked path the accepted policy no longer
	// blocks.
	SuppressedBlocked Suppression = "blocked_paths"
	// SuppressedAccepted: a policy change (a suppression-added finding)
	// the operator accepted with --accept-policy-changes.
	SuppressedAccepted Suppression = "accepted"
)

// StdinPath labels findings in standard input.
const StdinPath = "-"

// Finding is a reportable finding. It never holds the secret.
type Finding struct {
	RuleID      string
	Severity    rules.Severity
	Path        string
	Line        int
	Column      int // in characters (code points)
	ColumnUTF16 int // in UTF-16 code units (SARIF)
	Commit      string
	Author      string
	Date        string
	Masked      string
	Fingerprint string
	Source      string
	EnvName     string
	// Decoded names the encodings the secret was found under ("base64"),
	// empty for plain text.
	Decoded string
	// Suppressed is non-empty (inline, allow_paths, baseline) when the
	// finding is known and accepted; it is counted, not reported.
	Suppressed Suppression
	// TimesAdded (history) counts the commits that added this secret at
	// this path: more than one when it was removed and added again, or
	// added on two branches. AtTip is true when a tip still holds it.
	TimesAdded int
	AtTip      bool
	// Verification is the provider's verdict on the credential (scan
	// --verify), nil when not verified. It holds no value.
	Verification *verifier.Verification
	// Derived is true when the secret was found in text derived from the
	// file's bytes (a decompressed stream, an archive member, a binary's
	// printable runs): no allow comment can be written on its line.
	Derived bool
	// Detail says, for a finding that is not a secret (a policy change,
	// source SourcePolicy), what it is; it never holds a value.
	Detail string
}

// Result is what a scan found and how much it read.
type Result struct {
	Mode         Mode
	Commits      int
	Findings     []Finding
	Suppressed   []Finding
	FilesScanned int
	BytesScanned int64
	Skipped      []source.Skip
	// Errors make the scan incomplete: its status is error, never pass.
	Errors   []string
	Warnings []string
	Duration time.Duration
	// Inputs identify what the scan read, for `keygate verify` to
	// recompute; nil for staged and stdin scans.
	Inputs *Inputs
}

// Input kinds.
const (
	InputFiles   = "files"   // working-tree files: paths and contents
	InputCommits = "commits" // a history's commit ids
)

// Inputs identify what a scan read: a digest of the working-tree files'
// paths and contents (source.DigestFiles) or of the commit ids
// (source.DigestCommits), and what is needed to list them again.
type Inputs struct {
	Kind   string
	Digest string
	Count  int
	// Paths are a path scan's PATH arguments (empty: the scopes).
	Paths []string
	// Range is a history scan's BASE..HEAD (empty: every ref).
	Range string
	// Excluded are the files left out of the digest: what the scan wrote
	// into its own scopes (its report), and files skip: excuses that could
	// not be opened.
	Excluded []string
}

// Options configure a scan.
type Options struct {
	Detector   *detector.Detector
	AllowPaths []string
	Baseline   *baseline.File
	// GitleaksIgnore holds the root's .gitleaksignore entries, if any.
	GitleaksIgnore *gitleaksignore.List
	// InlineTrusted, when set (a range judged by its base), decides
	// whether an inline allow comment counts: it is given the finding's
	// path and the text of its line, and says whether the base held that
	// same line. An allow comment it rejects is a policy change
	// (suppression-added-inline). Nil trusts every comment.
	InlineTrusted func(path string, line []byte) bool
	// AcceptPolicyChanges files policy changes as accepted suppressions
	// (and lets the comments they add count) instead of findings.
	AcceptPolicyChanges bool
	// Workers defaults to the number of CPUs.
	Workers int
	// Verify, when set, asks each credential's provider whether it is live
	// (scan --verify); nil: no request leaves keygate.
	Verify *verifier.Stage
	// Containers bounds what opening compressed files and archives may
	// cost (depth, decompressed bytes, ratio, members); going past a limit
	// is an error. Zero fields take content's defaults.
	Containers content.Limits
	// wholeBlobs turns off carrying findings over from a file's previous
	// version in history scans: tests set it to check that both ways give
	// the same report.
	wholeBlobs bool
	// versionMemory replaces the history scan's memory bounds of kept and
	// pending versions (defaultVersionMemory): tests make them tiny so
	// that versions are dropped and the walk helps the scan.
	versionMemory versionMemory
	// blobBudget replaces defaultBlobBudget (tests make it tiny).
	blobBudget int64
	// sums, when not nil, collect the sums of the files the scan reads,
	// for its inputs digest (Run sets it for a working-tree scan).
	sums *source.ContentSums
}

// newBlobBudget is the scan's budget of blob bytes scanned at once.
func (o *Options) newBlobBudget() *blobBudget {
	if o.blobBudget > 0 {
		return newBlobBudget(o.blobBudget)
	}
	return newBlobBudget(defaultBlobBudget)
}

// newFinding converts a detector finding, dropping the secret.
func (o *Options) newFinding(f detector.Finding, path string) Finding {
	return o.newFindingMemo(f, path, nil)
}

// fingerprints memoizes detector.Fingerprint (a deliberately slow hash)
// for a history, where one secret is found again in every later version
// of its file.
type fingerprints map[[3]string]string

// fill computes the fingerprints of keys not yet known on the scan's
// workers: a history computes one for every secret it adds, one after
// another after the walk, and at about 0.2 ms each (PBKDF2) they were a
// tenth of a history of gitleaks' repository, most of it on one core.
func (m fingerprints) fill(ctx context.Context, opts Options, keys [][3]string) {
	var todo [][3]string
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			m[k] = ""
			todo = append(todo, k)
		}
	}
	fps := make([]string, len(todo))
	_ = parallel(ctx, len(todo), workerCount(opts, len(todo)), func(_, i int) {
		fps[i] = detector.Fingerprint(todo[i][0], todo[i][1], todo[i][2])
	})
	for i, k := range todo {
		if fps[i] == "" {
			delete(m, k) // not computed (ctx done): get computes it
			continue
		}
		m[k] = fps[i]
	}
}

func (m fingerprints) get(rule, path, secret string) string {
	if m == nil {
		return detector.Fingerprint(rule, path, secret)
	}
	k := [3]string{rule, path, secret}
	fp, ok := m[k]
	if !ok {
		fp = detector.Fingerprint(rule, path, secret)
		m[k] = fp
	}
	return fp
}

func (o *Options) newFindingMemo(f detector.Finding, path string, memo fingerprints) Finding {
	var sup Suppression
	if f.Allowed != "" {
		sup = SuppressedInline // an allow comment on the line
	}
	return Finding{
		RuleID:      f.RuleID,
		Severity:    f.Severity,
		Path:        path,
		Line:        f.Line,
		Column:      f.Column,
		ColumnUTF16: f.ColumnUTF16,
		Masked:      detector.Mask(f.Secret),
		Fingerprint: memo.get(f.RuleID, path, f.Secret),
		Source:      f.Source,
		EnvName:     f.EnvName,
		Decoded:     f.Decoded,
		Suppressed:  sup,
	}
}

func (o *Options) pathAllowed(path string) bool {
	return glob.Any(o.AllowPaths, path)
}

// add files a finding under findings or suppressed.
func (o *Options) add(r *Result, f Finding) {
	if f.Suppressed == "" && o.pathAllowed(f.Path) {
		f.Suppressed = SuppressedPath
	}
	if f.Suppressed == "" && o.Baseline.Has(f.Fingerprint) {
		f.Suppressed = SuppressedBaseline
	}
	if f.Suppressed == "" && o.GitleaksIgnore.Match(f.Commit, f.Path, f.RuleID, f.Line) {
		f.Suppressed = SuppressedGitleaksIgnore
	}
	if f.Suppressed != "" {
		r.Suppressed = append(r.Suppressed, f)
		return
	}
	r.Findings = append(r.Findings, f)
}

// BaselineEntries are the result's findings as baseline entries.
func (r *Result) BaselineEntries() []baseline.Entry {
	out := make([]baseline.Entry, 0, len(r.Findings))
	for _, f := range r.Findings {
		out = append(out, baseline.Entry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Path: f.Path, Masked: f.Masked})
	}
	return out
}

// Files scans the walked files in parallel; results are in path order
// whatever the scheduling.
func Files(ctx context.Context, opts Options, w *source.FileList) *Result {
	r, _, _ := opts.scanFiles(ctx, func(found func(source.File)) (*source.FileList, error) {
		for _, f := range w.Files {
			found(f)
		}
		return w, nil
	})
	return r
}

// scanFiles runs walk, which lists the working tree's files and gives each
// to found as it lists it, and scans each file on the scan's workers
// while the walk goes on: on hummingbot's tree the walk was a twentieth of
// the scan, one core busy and the other idle. The result is in the list's
// order, whatever the walk's and the workers'; the list is returned too.
// A file listed and not scanned is an error: the scan's, when it was
// cancelled ("scan interrupted"), else the file's own.
func (o *Options) scanFiles(ctx context.Context, walk func(found func(source.File)) (*source.FileList, error)) (*Result, *source.FileList, error) {
	start := time.Now()
	feed := make(chan source.File, 64)
	var mu sync.Mutex
	byPath := map[string]fragmentResult{}
	budget := o.newBlobBudget()
	var wg sync.WaitGroup
	for range workerCount(*o, math.MaxInt) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range feed {
				if ctx.Err() != nil {
					continue // the walk's rest is drained, not scanned
				}
				res := o.scanFragmentGuarded(ctx, budget, nil, source.Fragment{Path: f.Path, File: f.Abs})
				mu.Lock()
				byPath[f.Path] = res
				mu.Unlock()
			}
		}()
	}
	w, err := walk(func(f source.File) { feed <- f })
	close(feed)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	r := &Result{Mode: ModePaths, Skipped: append([]source.Skip(nil), w.Skipped...)}
	for _, e := range w.Errors {
		r.Errors = append(r.Errors, e.Error())
	}
	interrupted := ctx.Err()
	if interrupted != nil {
		r.Errors = append(r.Errors, fmt.Sprintf("scan interrupted: %v", interrupted))
	}
	frags := make([]source.Fragment, len(w.Files))
	results := make([]fragmentResult, len(w.Files))
	for i, f := range w.Files {
		frags[i] = source.Fragment{Path: f.Path, File: f.Abs}
		res, ok := byPath[f.Path]
		if !ok && interrupted == nil {
			res.err = errNotScanned
		}
		results[i] = res
	}
	o.verifyFragments(ctx, results)
	o.collect(r, frags, results)
	o.scanPaths(r, walkPaths(w))
	sort.SliceStable(r.Skipped, func(i, j int) bool { return r.Skipped[i].Path < r.Skipped[j].Path })
	r.Duration = time.Since(start)
	return r, w, nil
}

// errNotScanned is a listed file no worker scanned, the scan not
// cancelled: never a pass.
var errNotScanned = errors.New("listed but not scanned")

// Stream scans one stream (standard input).
func Stream(opts Options, in io.Reader) *Result {
	return StreamContext(context.Background(), opts, in)
}

// StreamContext is Stream with a context for the verifier stage.
func StreamContext(ctx context.Context, opts Options, in io.Reader) *Result {
	start := time.Now()
	r := &Result{Mode: ModeStdin}
	res := scanContent(opts.Detector, opts.Containers, in, nil, -1, StdinPath, nil)
	out := make([]*Finding, len(res.findings))
	for i, df := range res.findings {
		f := opts.newFinding(df, memberPath(StdinPath, res.member(i)))
		out[i] = &f
	}
	opts.verifyGroups(ctx, [][]detector.Finding{res.findings}, [][]*Finding{out})
	for _, f := range out {
		opts.add(r, *f)
	}
	r.BytesScanned = res.bytes
	r.FilesScanned = 1
	if res.err != nil {
		r.Errors = append(r.Errors, fmt.Sprintf("stdin: %v", source.UnwrapPath(res.err)))
	}
	if res.dropped > 0 {
		r.Errors = append(r.Errors, droppedError("stdin", res.dropped))
	}
	r.Duration = time.Since(start)
	return r
}
