package scan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/source"
	"github.com/keygate/keygate/source/odb"
)

// History scans the history (or a range) and reports what each commit
// added: each (path, secret) once, at the earliest commit whose change
// added it relative to every parent (a merge adds only what none of its
// parents held), with how many times it was added and whether a tip
// still holds it. In a range, what the excluded side held is the
// baseline: a secret present before the range is not the range's.
func History(ctx context.Context, repo *source.Repo, opts GitOptions) (*Result, error) {
	start := time.Now()
	h, results, _, err := historyScan(ctx, repo, opts)
	if err != nil {
		return nil, err
	}
	r := &Result{Mode: ModeHistory, Commits: len(h.Commits), Warnings: append([]string{}, h.Warnings...)}
	ids := make([]string, len(h.Commits))
	for i, c := range h.Commits {
		ids[i] = c.ID
	}
	r.Inputs = &Inputs{Kind: InputCommits, Digest: source.DigestCommits(ids), Count: len(ids)}
	var missing []string
	for i, res := range results {
		if errors.Is(res.err, odb.ErrNotFound) {
			b := h.Blobs[i]
			missing = append(missing, fmt.Sprintf("%s (blob %.12s)", b.Path, b.ID.String()))
			continue
		}
		r.tally(h.Blobs[i].Path, h.Blobs[i].ID.String(), res)
	}
	if len(missing) > 0 {
		r.Errors = append(r.Errors, missingBlobsError(repo, missing))
	}
	adds := attribute(h, results, opts.Blocked)
	if n := len(adds); n > maxHistoryFindings {
		adds = adds[:maxHistoryFindings]
		r.Errors = append(r.Errors, fmt.Sprintf("%d more findings not reported: a history reports the first %d it adds, in commit order (fix the commits that add the rest, then scan again)", n-maxHistoryFindings, maxHistoryFindings))
	}
	if err := markTips(h, adds, results); err != nil {
		return nil, err
	}
	opts.scanPaths(r, historyPaths(h))
	memo := fingerprints{}
	keys := make([][3]string, 0, len(adds))
	for _, a := range adds {
		if !a.blocked {
			keys = append(keys, [3]string{a.finding.RuleID, memberPath(a.path, a.member), a.finding.Secret})
		}
	}
	memo.fill(ctx, opts.Options, keys)
	found := make([]Finding, len(adds))
	var blobs *source.BlobReader
	for i, a := range adds {
		var f Finding
		if a.blocked {
			f = blockedFinding(a.path)
		} else {
			f = opts.newFindingMemo(a.finding, memberPath(a.path, a.member), memo)
		}
		setCommit(&f, h.Commits[a.commit])
		f.TimesAdded, f.AtTip = a.times, a.atTip
		err := opts.trustInline(r, &f, func() ([]byte, error) {
			if a.member != "" {
				// A comment inside an archive member is judged by no
				// base line: it is a policy change, shown, never trusted.
				return nil, nil
			}
			if blobs == nil {
				rs, err := repo.NewBlobReaders(1)
				if err != nil {
					return nil, err
				}
				blobs = rs[0]
			}
			return blobs.Read(h.Blobs[a.blob].ID)
		})
		if err != nil {
			return nil, err
		}
		found[i] = f
	}
	opts.verifyAdditions(ctx, adds, found)
	for _, f := range found {
		opts.add(r, f)
	}
	sortFindings(r)
	r.Duration = time.Since(start)
	return r, nil
}

// missingBlobsError says which blobs could not be read (the first few,
// each as path and blob id: a user deciding whether to fetch them, or
// which file a damaged pack lost, needs to know which) and how to get
// them: a partial clone (--filter=blob:none) leaves blobs at its promisor
// remote, and a scan without them would pass on what it never read.
func missingBlobsError(repo *source.Repo, missing []string) string {
	n := len(missing)
	noun, were := "blobs are", "were"
	if n == 1 {
		noun, were = "blob is", "was"
	}
	const named = 5
	which := strings.Join(missing[:min(n, named)], ", ")
	if n > named {
		which += fmt.Sprintf(" and %d more", n-named)
	}
	if repo.Partial() {
		return fmt.Sprintf("%d %s missing from this partial clone and %s not scanned (%s): clone without --filter (actions/checkout: no filter), or fetch them first with `git rev-list --objects --missing=print --all | sed -n 's/^?//p' | git -c fetch.negotiationAlgorithm=noop fetch origin --no-tags --no-write-fetch-head --recurse-submodules=no --filter=blob:none --stdin`", n, noun, were, which)
	}
	return fmt.Sprintf("%d %s missing from the repository and %s not scanned (%s): the repository is damaged or incomplete (git fsck lists them all)", n, noun, were, which)
}

// addition is one (path, secret) a history added, at its first addition.
type addition struct {
	path    string
	member  string // the archive member the secret is in ("" for the file)
	commit  int    // in History.Commits
	finding detector.Finding
	blocked bool // a blocked path, not a secret
	blob    int  // the file that added it, in History.Blobs
	times   int
	atTip   bool
}

// secretKey names a secret as a finding's fingerprint does: the same
// secret under another rule is another finding.
type secretKey struct{ rule, secret string }

// attribute walks the changes in commit order and keeps, per (path,
// secret), the first change that added it and how many changes did.
func attribute(h *source.History, results []streamResult, blocked []string) []*addition {
	held := make([]map[secretKey]int, len(results)) // per blob: secret -> first finding
	secrets := func(b int) map[secretKey]int {
		if b == source.NoBlob {
			return nil
		}
		if held[b] == nil {
			m := make(map[secretKey]int, len(results[b].findings))
			for i := len(results[b].findings) - 1; i >= 0; i-- {
				f := results[b].findings[i]
				m[secretKey{f.RuleID, f.Secret}] = i
			}
			held[b] = m
		}
		return held[b]
	}
	type pathKey struct {
		path string
		secretKey
	}
	byKey := map[pathKey]*addition{}
	var out []*addition
	record := func(k pathKey, ch source.Change, f detector.Finding, member string, isBlocked bool) {
		if a := byKey[k]; a != nil {
			a.times++
			return
		}
		a := &addition{path: ch.Path, member: member, commit: int(ch.Commit), finding: f, blocked: isBlocked, times: 1, blob: int(ch.Blob)}
		byKey[k] = a
		out = append(out, a)
	}
	b := NewBlocker(blocked)
	for _, ch := range h.Changes {
		if newPath(ch) && b.Blocked(ch.Path) {
			record(pathKey{path: ch.Path}, ch, detector.Finding{}, "", true)
		}
		now := secrets(int(ch.Blob))
		if len(now) == 0 {
			continue
		}
		for k, i := range now {
			held := false
			ch.Parents(func(p int) { _, in := secrets(p)[k]; held = held || in })
			if !held {
				record(pathKey{ch.Path, k}, ch, results[ch.Blob].findings[i], results[ch.Blob].member(i), false)
			}
		}
	}
	return out
}

// newPath reports whether a change brings a file to a path none of its
// parents had one at.
func newPath(ch source.Change) bool {
	isNew := true
	ch.Parents(func(p int) { isNew = isNew && p == source.NoBlob })
	return isNew
}

// markTips sets atTip on each addition a tip still holds: the file at
// its path in some tip holds the secret (or, for a blocked path, exists).
func markTips(h *source.History, adds []*addition, results []streamResult) error {
	if len(adds) == 0 {
		return nil
	}
	var paths []string
	seen := map[string]bool{}
	for _, a := range adds {
		if !seen[a.path] {
			seen[a.path] = true
			paths = append(paths, a.path)
		}
	}
	at, err := h.AtTips(paths)
	if err != nil {
		return fmt.Errorf("read the tips' trees: %w", err)
	}
	for _, a := range adds {
		for _, b := range at[a.path] {
			if a.blocked {
				a.atTip = true
				break
			}
			for _, f := range results[b].findings {
				if f.RuleID == a.finding.RuleID && f.Secret == a.finding.Secret {
					a.atTip = true
					break
				}
			}
		}
	}
	return nil
}

// verifyAdditions verifies a history's findings grouped by the change
// that added them (a path at a commit): the parts of a credential that one
// commit added to one file are verified together.
func (o *Options) verifyAdditions(ctx context.Context, adds []*addition, out []Finding) {
	if o.Verify == nil {
		return
	}
	type change struct {
		path   string
		commit int
	}
	index := map[change]int{}
	var found [][]detector.Finding
	var conv [][]*Finding
	for i, a := range adds {
		if a.blocked {
			continue
		}
		k := change{a.path, a.commit}
		g, ok := index[k]
		if !ok {
			g = len(found)
			index[k] = g
			found, conv = append(found, nil), append(conv, nil)
		}
		found[g] = append(found[g], a.finding)
		conv[g] = append(conv[g], &out[i])
	}
	o.verifyGroups(ctx, found, conv)
}
