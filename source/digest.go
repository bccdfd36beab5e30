package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
)

// DigestPrefix starts every inputs digest (the hash it is).
const DigestPrefix = "sha256:"

// DigestFiles is the digest of a working-tree scan's inputs: each file's
// path and the SHA-256 of its content, in path order, leaving out the
// paths in exclude (the reports the scan itself writes into its scopes).
// It reads the files and nothing else, so `keygate verify` recomputes it
// fast. It returns the digest and how many files it covers.
func DigestFiles(ctx context.Context, files []File, exclude []string) (string, int, error) {
	sorted := slices.Clone(files)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	all := sha256.New()
	n := 0
	buf := make([]byte, 256<<10)
	for _, f := range sorted {
		if slices.Contains(exclude, f.Path) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return "", 0, err
		}
		h := sha256.New()
		fh, err := os.Open(f.Abs)
		if err != nil {
			return "", 0, fmt.Errorf("%s: %w", f.Path, UnwrapPath(err))
		}
		_, err = io.CopyBuffer(h, fh, buf)
		fh.Close()
		if err != nil {
			return "", 0, fmt.Errorf("%s: %w", f.Path, UnwrapPath(err))
		}
		fmt.Fprintf(all, "%q %x\n", f.Path, h.Sum(nil))
		n++
	}
	return DigestPrefix + hex.EncodeToString(all.Sum(nil)), n, nil
}

// DigestCommits is the digest of a history scan's inputs: the ids of the
// commits it read, in order.
func DigestCommits(ids []string) string {
	sorted := slices.Clone(ids)
	sort.Strings(sorted)
	all := sha256.New()
	for _, id := range sorted {
		fmt.Fprintln(all, id)
	}
	return DigestPrefix + hex.EncodeToString(all.Sum(nil))
}

// CommitIDs lists the ids of the commits of revs, as History walks them
// (shallow boundaries included), without reading a tree or a blob.
func (r *Repo) CommitIDs(revs Revs) ([]string, error) {
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	w := &gitWalker{repo: r, rd: db.NewReader(), boundary: map[ObjectID]bool{}}
	shallow, err := r.repo.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow list: %w", err)
	}
	for _, s := range shallow {
		w.boundary[s] = true
	}
	commits, err := w.commits(revs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(commits))
	for i, c := range commits {
		ids[i] = c.hash.String()
	}
	return ids, nil
}
