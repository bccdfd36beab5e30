package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/source"
)

// randomHistory builds a real repository whose files change a few lines a
// commit, with secrets of every rule planted and removed, a private key
// (a non-local rule), a known value, inline allows, renames, a binary file
// and a merged branch. It returns the repository's directory.
func randomHistory(t *testing.T, d *detector.Detector, commits int) string {
	testmode.Tool(t, "git", "apt-get install git")
	var pool []string
	for _, r := range d.Pack().Rules {
		pool = append(pool, r.Examples...)
		if len(r.Examples) > 0 {
			pool = append(pool, r.Examples[0]+" # keygate:allow")
		}
	}
	pool = append(pool, "passphrase: "+fixture.Passphrase, "masked ****ABCD")
	rng := rand.New(rand.NewPCG(3, 5))
	line := func() string {
		if rng.IntN(8) == 0 {
			return pool[rng.IntN(len(pool))]
		}
		return fmt.Sprintf("value_%d = compute(order_id=%d)", rng.IntN(1000), rng.IntN(1e6))
	}
	files := map[string][]string{}
	names := []string{"src/a.py", "src/b.py", "docs/c.md", "config/d.yaml", "e.txt"}
	for _, n := range names {
		for range 20 + rng.IntN(40) {
			files[n] = append(files[n], line())
		}
	}
	binary := map[string]string{} // files outside the line model

	// The whole history is one git fast-import stream: every commit states
	// its full tree, as `git add -A` of the files written would.
	var stream strings.Builder
	mark := 0
	commit := func(branch, msg string, tree map[string][]string, parents ...int) int {
		mark++
		fmt.Fprintf(&stream, "commit refs/heads/%s\nmark :%d\ncommitter Ops <ops@synthetic.invalid> %d +0000\ndata %d\n%s\n",
			branch, mark, 1_790_000_000+mark*60, len(msg), msg)
		for i, p := range parents {
			verb := "merge"
			if i == 0 {
				verb = "from"
			}
			fmt.Fprintf(&stream, "%s :%d\n", verb, p)
		}
		stream.WriteString("deleteall\n")
		contents := map[string]string{}
		for n, lines := range tree {
			contents[n] = strings.Join(lines, "\n") + "\n"
		}
		maps.Copy(contents, binary)
		for _, n := range slices.Sorted(maps.Keys(contents)) {
			fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", n, len(contents[n]), contents[n])
		}
		return mark
	}
	head := commit("main", "init", files)
	for c := range commits {
		n := names[rng.IntN(len(names))]
		lines := files[n]
		switch rng.IntN(6) {
		case 0:
			i := rng.IntN(len(lines) + 1)
			files[n] = append(lines[:i], append([]string{line()}, lines[i:]...)...)
		case 1:
			if len(lines) > 1 {
				i := rng.IntN(len(lines))
				files[n] = append(lines[:i], lines[i+1:]...)
			}
		default:
			for range 1 + rng.IntN(3) {
				lines[rng.IntN(len(lines))] = line()
			}
		}
		switch c {
		case commits / 5:
			// A private key in a file: its rule sees across lines.
			files["src/a.py"] = append(files["src/a.py"], strings.Split(d.Pack().Rules[0].Examples[0], "\n")...)
		case commits / 4:
			// A binary (most bytes control bytes) whose printable run holds
			// a key: the run is scanned.
			binary["blob.bin"] = strings.Repeat("\x00\x01\x02\x03", 64) + "BOT1_PASSWORD=" + fixture.RedisPassword + "\x00\x01"
		case commits / 3:
			// A rename: the old path's versions end, the new path's start.
			files["docs/renamed.md"] = files["docs/c.md"]
			delete(files, "docs/c.md")
			names[2] = "docs/renamed.md"
		case commits / 2:
			// A side branch adds a secret while main changes the same
			// file elsewhere; the merge holds both (git's clean merge).
			base := head
			files["e.txt"] = append(files["e.txt"], "REDIS_PASSWORD="+fixture.RedisPassword)
			side := commit("side", "side", files, base)
			files["e.txt"] = files["e.txt"][:len(files["e.txt"])-1]
			files["e.txt"][0] = "changed on main"
			head = commit("main", "main", files, head)
			merged := maps.Clone(files)
			merged["e.txt"] = append(slices.Clone(files["e.txt"]), "REDIS_PASSWORD="+fixture.RedisPassword)
			head = commit("main", "Merge branch 'side'", merged, head, side)
			continue
		}
		head = commit("main", fmt.Sprintf("change %d", c), files, head)
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"fast-import", "--quiet"},
		// Loose objects, as commits made one by one leave them: the
		// history is read from them first and from a pack after a repack.
		{"unpack-objects", "-q"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		switch args[0] {
		case "fast-import":
			cmd.Stdin = strings.NewReader(stream.String())
		case "unpack-objects":
			packs, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
			require.NoError(t, err)
			require.Len(t, packs, 1)
			data, err := os.ReadFile(packs[0])
			require.NoError(t, err)
			for _, p := range packs {
				base := strings.TrimSuffix(p, ".pack")
				for _, ext := range []string{".pack", ".idx", ".rev"} {
					if err := os.Remove(base + ext); !errors.Is(err, fs.ErrNotExist) {
						require.NoError(t, err)
					}
				}
			}
			cmd.Stdin = bytes.NewReader(data)
		}
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	return dir
}

// A history scanned version by version, carrying findings over the lines
// each version keeps, reports exactly what scanning every blob whole does.
func TestHistoryVersionsMatchWholeBlobs(t *testing.T) {
	p, err := rules.Default()
	require.NoError(t, err)
	d, err := detector.New(p, detector.KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: fixture.Passphrase})
	require.NoError(t, err)
	commits := testmode.Scale(40, 120)
	dir := randomHistory(t, d, commits)
	var nonLocalKeywords []string
	for _, r := range p.Rules {
		if sc, err := r.LineScope(); err == nil && (sc.SpansLines || sc.AnchorsText) {
			nonLocalKeywords = append(nonLocalKeywords, r.Keywords...)
		}
	}
	require.NotEmpty(t, nonLocalKeywords)
	for _, repack := range []bool{false, true} {
		if repack {
			out, err := exec.Command("git", "-C", dir, "repack", "-adfq").CombinedOutput()
			require.NoError(t, err, string(out))
		}
		repo, err := source.OpenRepo(dir)
		require.NoError(t, err)
		revs, err := repo.AllRefs()
		require.NoError(t, err)
		opts := GitOptions{Options: Options{Detector: d, Workers: 3}, Revs: revs}
		run := func(whole bool) *Result {
			o := opts
			o.wholeBlobs = whole
			r, err := History(context.Background(), repo, o)
			require.NoError(t, err)
			r.Duration = 0
			return r
		}
		want, got := run(true), run(false)
		assert.Equal(t, want, got, "repacked: %v", repack)
		assert.Greater(t, len(want.Findings), commits/4, "the history must hold many findings")
		assert.NotEmpty(t, want.Suppressed, "and inline allows")
		assert.True(t, slices.ContainsFunc(want.Findings, func(f Finding) bool { return f.Path == "blob.bin" }), "and a key in a binary blob's printable run")

		// Most versions were scanned on their changed lines only, and the
		// reference above really scanned every blob whole.
		// Every blob's own findings are equal too, not only the report
		// that history semantics reduce them to.
		// (A version holding a non-local rule's keyword is read whole
		// again for that rule: which versions hold one depends on where
		// the random lines fall, so the bound is on the others.)
		var partial, versionsN int
		var partialBytes, partialScanned int64
		detected := func(whole bool) (all, scanned int64, findings [][]detector.Finding) {
			o := opts
			o.wholeBlobs = whole
			h, res, _, err := historyScan(context.Background(), repo, o)
			require.NoError(t, err)
			require.Len(t, res, len(h.Blobs))
			partial, versionsN, partialBytes, partialScanned = 0, 0, 0, 0
			for i, r := range res {
				all += r.bytes
				scanned += r.scanned
				findings = append(findings, r.findings)
				if wholeForRule(t, dir, h.Blobs[i].ID.String(), nonLocalKeywords) {
					continue
				}
				versionsN++
				if r.scanned < r.bytes {
					partial++
					partialBytes += r.bytes
					partialScanned += r.scanned
				}
			}
			return all, scanned, findings
		}
		_, _, versions := detected(false)
		assert.Greater(t, partial, versionsN/2, "most versions are scanned on their changed lines only")
		assert.Less(t, partialScanned, partialBytes/3, "bytes run through the detector against bytes in those blobs")
		all, scanned, wholes := detected(true)
		assert.Equal(t, all, scanned, "whole blobs")
		assert.Equal(t, wholes, versions, "each blob's findings")

		// Tiny memory bounds: kept versions are dropped (their next
		// versions scanned whole), the walk scans queued work itself
		// (pending: -1, always over), and one blob is scanned at a time;
		// the findings do not change.
		o := opts
		o.versionMemory = versionMemory{kept: 4 << 10, pending: -1}
		o.blobBudget = 1 // every blob scanned alone
		_, res, stats, err := historyScan(context.Background(), repo, o)
		require.NoError(t, err)
		var bounded [][]detector.Finding
		for _, r := range res {
			bounded = append(bounded, r.findings)
		}
		assert.Equal(t, wholes, bounded, "each blob's findings under tiny memory bounds")
		assert.Positive(t, stats.dropped, "kept versions dropped")
		assert.Positive(t, stats.helped, "tasks the walk scanned")
	}
}

// A history scan cancelled while the walk waits for pending memory (one
// worker, every version over the bound) or workers wait for the blob
// budget (every blob takes all of it) ends with the cancellation, never
// a hang, whichever the number of workers.
func TestHistoryCancelledUnderMemoryBounds(t *testing.T) {
	p, err := rules.Default()
	require.NoError(t, err)
	d, err := detector.New(p)
	require.NoError(t, err)
	repo, err := source.OpenRepo(randomHistory(t, d, 30))
	require.NoError(t, err)
	revs, err := repo.AllRefs()
	require.NoError(t, err)
	for _, workers := range []int{1, 2, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		o := GitOptions{Options: Options{Detector: d, Workers: workers}, Revs: revs, Progress: func(string, int, int, int64) {
			if calls++; calls == 5 {
				cancel()
			}
		}}
		o.versionMemory = versionMemory{kept: 4 << 10, pending: -1}
		o.blobBudget = 1
		_, _, _, err := historyScan(ctx, repo, o)
		assert.ErrorIs(t, err, context.Canceled, "workers: %d", workers)
		cancel()
	}
}

// wholeForRule reports whether the blob holds a keyword of a rule whose
// match can depend on more than its line: such a version is read whole again
// for that rule, so it is left out of the bound on versions scanned on their
// changed lines only (which random lines hold one is chance).
func wholeForRule(t *testing.T, dir, id string, keywords []string) bool {
	out, err := exec.Command("git", "-C", dir, "cat-file", "-p", id).Output()
	require.NoError(t, err)
	lower := strings.ToLower(string(out))
	for _, k := range keywords {
		if strings.Contains(lower, strings.ToLower(k)) {
			return true
		}
	}
	return false
}
