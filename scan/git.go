package scan

import (
	"context"
	"sort"
	"time"

	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/source"
)

// BlockedPathRuleID is the rule of a finding for a committed blocked path
// (env/.env, private keys), whatever its content.
const BlockedPathRuleID = rules.BlockedPathID

// SourcePath marks findings about a path rather than its content.
const SourcePath = "path"

// Progress receives counts during a long scan.
type Progress func(stage string, done, total int, bytes int64)

// GitOptions configure staged and history scans.
type GitOptions struct {
	Options
	Blocked []string
	// Revs are the commits a history scan reads.
	Revs source.Revs
	// IndexFile is the index a staged scan reads (GIT_INDEX_FILE, made
	// absolute); empty means the repository's.
	IndexFile string
	Progress  Progress
}

// Staged scans what the next commit adds: blocked paths, and the lines
// the commit adds or changes in the staged blobs.
func Staged(ctx context.Context, repo *source.Repo, opts GitOptions) (*Result, error) {
	start := time.Now()
	changes, err := repo.Staged(opts.IndexFile)
	if err != nil {
		return nil, err
	}
	r := &Result{Mode: ModeStaged}
	blocked := NewBlocker(opts.Blocked)
	for _, ch := range changes {
		if blocked.Blocked(ch.Path) {
			opts.add(r, blockedFinding(ch.Path))
		}
	}
	opts.scanPaths(r, stagedPaths(changes))
	frags, results, err := opts.scanSource(ctx, repo, changes)
	if err != nil {
		return nil, err
	}
	opts.verifyFragments(ctx, results)
	opts.collect(r, frags, results)
	sortFindings(r)
	r.Duration = time.Since(start)
	return r, nil
}

func setCommit(f *Finding, c source.Commit) {
	f.Commit = c.ID
	f.Author = c.Author
	f.Date = c.Date.Format(time.RFC3339)
}

// sortFindings orders findings by path, position, then date.
func sortFindings(r *Result) {
	less := func(a, b Finding) bool {
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Commit != b.Commit {
			return a.Commit < b.Commit
		}
		return a.RuleID < b.RuleID
	}
	sort.SliceStable(r.Findings, func(i, j int) bool { return less(r.Findings[i], r.Findings[j]) })
	sort.SliceStable(r.Suppressed, func(i, j int) bool { return less(r.Suppressed[i], r.Suppressed[j]) })
	sort.SliceStable(r.Skipped, func(i, j int) bool { return r.Skipped[i].Path < r.Skipped[j].Path })
}
