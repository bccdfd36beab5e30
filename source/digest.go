package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// DigestPrefix starts every inputs digest (the hash it is).
const DigestPrefix = "sha256:"

// DigestFiles is the digest of a working-tree scan's inputs: each file's
// path and the SHA-256 of its content, in path order, leaving out the
// paths in exclude (the reports the scan itself writes into its scopes).
// It reads the files and nothing else, so `keygate verify` recomputes it
// fast; the files are hashed on one goroutine per CPU (the scan waits for
// it), except those whose sum known holds (taken as the scan read them;
// nil: none). It returns the digest and how many files it covers; an error
// is the first file's in path order that could not be read.
func DigestFiles(ctx context.Context, files []File, exclude []string, known *ContentSums) (string, int, error) {
	sorted := make([]File, 0, len(files))
	for _, f := range files {
		if !slices.Contains(exclude, f.Path) {
			sorted = append(sorted, f)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	sums := make([][sha256.Size]byte, len(sorted))
	errs := make([]error, len(sorted))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(sorted))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			h := sha256.New()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(sorted) {
					return
				}
				if errs[i] = ctx.Err(); errs[i] != nil {
					return
				}
				if sum, ok := known.get(sorted[i].Abs); ok {
					sums[i] = sum
					continue
				}
				h.Reset()
				errs[i] = hashFile(h, sorted[i].Abs, buf)
				h.Sum(sums[i][:0])
			}
		}()
	}
	wg.Wait()
	all := sha256.New()
	for i, f := range sorted {
		if err := errs[i]; err != nil {
			if ctx.Err() != nil {
				return "", 0, ctx.Err()
			}
			return "", 0, fmt.Errorf("%s: %w", f.Path, UnwrapPath(err))
		}
		fmt.Fprintf(all, "%q %x\n", f.Path, sums[i])
	}
	return DigestPrefix + hex.EncodeToString(all.Sum(nil)), len(sorted), nil
}

// hashFile writes the content of the file at path to h.
func hashFile(h io.Writer, path string, buf []byte) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	_, err = io.CopyBuffer(h, fh, buf)
	return err
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
