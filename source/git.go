package source

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/keygate/keygate/source/odb"
)

// Repo is a git repository read with go-git (no git binary needed).
type Repo struct {
	// Root is the work tree's top directory (the git directory of a bare
	// repository).
	Root string
	// Bare is true for a repository without a work tree (a mirror).
	Bare bool
	// MaxObject is the largest object read whole, in bytes (0: odb's
	// default); set it before the first read.
	MaxObject int64
	repo      *git.Repository

	odbOnce sync.Once
	odb     *odb.DB
	odbErr  error
}

// ErrNotRepo is returned when no repository contains the directory.
var ErrNotRepo = errors.New("not a git repository (or any parent)")

// OpenRepo opens the repository containing dir (dir may be any
// subdirectory of the work tree).
func OpenRepo(dir string) (*Repo, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		// A bare repository or mirror (as CI keeps them) has no .git to
		// detect: dir is the git directory itself.
		r, err = git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{})
	}
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	if err != nil {
		return nil, fmt.Errorf("open git repository at %s: %w", dir, err)
	}
	root := dir
	var worktree billy.Filesystem
	bare := false
	switch wt, err := r.Worktree(); {
	case err == nil:
		root = wt.Filesystem.Root()
		worktree = wt.Filesystem
	case errors.Is(err, git.ErrIsBareRepository):
		bare = true
	}
	// Reopen the same storage keeping packfiles open (by default go-git
	// opens the packfile again for every object) and reading alternates,
	// whose absolute paths lie outside the .git directory. go-git reads few
	// objects now (revisions of a range, objects source/odb cannot), so a
	// small cache does.
	if fsStore, ok := r.Storer.(*filesystem.Storage); ok {
		st := filesystem.NewStorageWithOptions(fsStore.Filesystem(), cache.NewObjectLRU(8*cache.MiByte),
			filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New("/", osfs.WithBoundOS())})
		if fast, err := git.Open(st, worktree); err == nil {
			r = fast
		}
	}
	return &Repo{Root: root, Bare: bare, repo: r}, nil
}

// IsBare reports whether dir is itself a bare repository or mirror (whose
// files live only in its history): no .git in it, and what git requires of
// a git directory (setup.c's is_git_directory): a HEAD that is a reference
// or an object id, objects/ and refs/. It opens no repository, so a scan of
// working files reads nothing of git.
func IsBare(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return false
	}
	for _, sub := range []string{"objects", "refs"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			return false
		}
	}
	head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return false
	}
	head = bytes.TrimSpace(head)
	if bytes.HasPrefix(head, []byte("ref: refs/")) {
		return true
	}
	return plumbing.IsHash(string(head))
}

// ErrBare is returned for what needs a work tree and an index (a staged
// scan) in a bare repository or mirror, whose commits a history scan reads.
var ErrBare = errors.New("a bare repository (or mirror) has no work tree or index: a staged scan needs a clone with a work tree")

// TopLevel returns the work-tree root containing dir, or "" when dir is not
// inside a git work tree. It only looks for .git, so it works without a
// readable repository.
func TopLevel(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// headEntry is a file of HEAD's tree.
type headEntry struct {
	Hash plumbing.Hash
	Mode filemode.FileMode
}

// StagedChange is a path whose staged content differs from HEAD.
type StagedChange struct {
	Path string
	Blob ObjectID
	// Added is the set of 1-based lines this commit adds or changes; nil
	// means every line (a new file).
	Added map[int]bool
	// New is true when HEAD has no file at this path.
	New bool
	// Content is false for entries whose bytes are not content to scan
	// (submodules, unchanged content under a mode change). A symbolic
	// link's blob, its target, is content: the target text can be a key.
	Content bool
}

// Staged lists what the next commit would add: the index against HEAD
// (the empty tree before the first commit), from the staged blobs, never
// the working-tree files. indexFile is the index git commits from, as git
// names it to a hook in GIT_INDEX_FILE (`git commit -a`, `commit PATH`
// and `--interactive` commit from a temporary index); empty means the
// repository's own index (a linked work tree's own, in one).
func (r *Repo) Staged(indexFile string) (StagedChanges, error) {
	if r.Bare && indexFile == "" {
		return nil, fmt.Errorf("%s: %w", r.Root, ErrBare)
	}
	idx, err := r.index(indexFile)
	if err != nil {
		return nil, err
	}
	return r.staged(idx)
}

// staged compares idx with HEAD.
func (r *Repo) staged(idx *gitIndex) (StagedChanges, error) {
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	rd := db.NewReader()
	w := &gitWalker{repo: r, rd: rd}
	head := &headFiles{w: w, files: map[string]headEntry{}}
	ref, err := r.repo.Head()
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		// No commit yet: everything staged is new.
	case err != nil:
		return nil, fmt.Errorf("read HEAD: %w", err)
	default:
		c, err := w.commit(ref.Hash())
		if err != nil {
			return nil, fmt.Errorf("read HEAD: %w", err)
		}
		// HEAD's entries by path: hashes and modes only, less the
		// directories the index's cached tree shows unchanged. Walking the
		// tree reads no blob, which keeps a one-file commit's scan fast on
		// a large repo.
		if head, err = w.headFiles(c.tree, idx.Tree); err != nil {
			return nil, fmt.Errorf("read HEAD tree: %w", err)
		}
	}
	var out []StagedChange
	for i := 0; i < len(idx.Entries); i++ {
		n, err := head.unchanged(idx.Entries, i)
		if err != nil {
			return nil, fmt.Errorf("read HEAD tree: %w", err)
		}
		if n > 0 {
			// HEAD holds these entries as they are, less its gitlinks
			// (which it lists as no file): a staged submodule is listed
			// as the loop below lists it.
			for _, e := range idx.Entries[i : i+n] {
				if e.Stage != 0 {
					return nil, fmt.Errorf("%s has unresolved merge conflicts: resolve them before committing", e.Name)
				}
				if e.Mode == filemode.Submodule && !e.IntentToAdd && !(e.SkipWorktree && e.Hash.IsZero()) {
					out = append(out, StagedChange{Path: e.Name, Blob: e.Hash, New: true})
				}
			}
			i += n - 1
			continue
		}
		e := idx.Entries[i]
		// Git writes stage 0 for a merged entry; go-git's index.Merged
		// constant is 1 (the ancestor stage), so compare with 0.
		if e.Stage != 0 {
			return nil, fmt.Errorf("%s has unresolved merge conflicts: resolve them before committing", e.Name)
		}
		if e.IntentToAdd || e.SkipWorktree && e.Hash.IsZero() {
			continue
		}
		old, existed := head.files[e.Name]
		if existed && old.Hash == e.Hash {
			if old.Mode != e.Mode {
				out = append(out, StagedChange{Path: e.Name, Blob: e.Hash})
			}
			continue
		}
		ch := StagedChange{Path: e.Name, Blob: e.Hash, New: !existed,
			Content: e.Mode == filemode.Regular || e.Mode == filemode.Executable || e.Mode == filemode.Symlink}
		// A path new to the commit is new content, even a rename or copy of
		// committed content: a key file copied out of an allowed folder
		// is a new leak there.
		if existed && ch.Content {
			if ch.Added, err = addedLines(rd, e.Name, old.Hash, e.Hash); err != nil {
				return nil, err
			}
		}
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// index reads the index at path, or the repository's. The file is read
// whole and decoded from memory by decodeIndex (index.go): go-git's decoder
// makes a read call per field, which cost a one-file pre-commit scan of a
// 2,800-file repository more than its scan.
func (r *Repo) index(path string) (*gitIndex, error) {
	what := "the git index that GIT_INDEX_FILE names"
	if path == "" {
		what = "the git index"
		storage, ok := r.repo.Storer.(*filesystem.Storage)
		if !ok {
			idx, err := r.repo.Storer.Index()
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", what, err)
			}
			return fromGoGitIndex(idx), nil
		}
		// The repository's own (a linked work tree's is in its git dir).
		path = filepath.Join(storage.Filesystem().Root(), "index")
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return &gitIndex{Version: 2}, nil // nothing staged yet
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err) // err names the path
	}
	idx, err := decodeIndex(data)
	if err != nil {
		return nil, fmt.Errorf("read %s (%s): %w", what, path, err)
	}
	return idx, nil
}

// maxDiffBytes bounds the files whose lines are diffed; a larger changed
// file is scanned whole (more findings, never fewer).
const maxDiffBytes = 8 << 20

func addedLines(rd *odb.Reader, path string, oldHash, newHash plumbing.Hash) (map[int]bool, error) {
	_, oldText, err := rd.Read(oldHash)
	if err != nil {
		return nil, fmt.Errorf("read %s at HEAD: %w", path, err)
	}
	_, newText, err := rd.Read(newHash)
	if err != nil {
		return nil, fmt.Errorf("read staged blob %s: %w", newHash, err)
	}
	if len(oldText) > maxDiffBytes || len(newText) > maxDiffBytes {
		return nil, nil
	}
	added := map[int]bool{}
	line := 0
	for _, d := range diff.Do(string(oldText), string(newText)) {
		n := strings.Count(d.Text, "\n")
		if !strings.HasSuffix(d.Text, "\n") && d.Text != "" {
			n++
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			line += n
		case diffmatchpatch.DiffInsert:
			for i := 1; i <= n; i++ {
				added[line+i] = true
			}
			line += n
		}
	}
	return added, nil
}
