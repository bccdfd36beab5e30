package source

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keygate/keygate/source/odb"
)

// TreeFS returns the tree of commit (a full object id) as a read-only
// fs.FS of its regular files: what a range scan reads its policy from, so
// that the base decides, never the working tree. Directories, symlinks
// and submodules are not files of it (Open says fs.ErrNotExist), so a link
// committed in a pull request cannot point the policy outside the tree.
func (r *Repo) TreeFS(commit string) (fs.FS, error) {
	if !plumbing.IsHash(commit) {
		return nil, fmt.Errorf("tree of %q: not a full commit id", commit)
	}
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	w := &gitWalker{repo: r, rd: db.NewReader()}
	c, err := w.commit(plumbing.NewHash(commit))
	if err != nil {
		return nil, err
	}
	return &treeFS{w: w, root: c.tree, commit: commit}, nil
}

// treeFS is one commit's tree; its walker is not safe for concurrent
// use, so reads are serialised.
type treeFS struct {
	mu     sync.Mutex
	w      *gitWalker
	root   plumbing.Hash
	commit string
}

// Open opens the regular file name of the tree. Its reader reads the
// object as the object reader returned it (shared with its cache, never
// written): a large policy file is held once, not twice.
func (t *treeFS) Open(name string) (fs.File, error) {
	data, err := t.read(name)
	if err != nil {
		return nil, err
	}
	return &treeFile{Reader: bytes.NewReader(data), name: name, size: int64(len(data))}, nil
}

// ReadFile reads the regular file name of the tree into a slice of the
// caller's own.
func (t *treeFS) ReadFile(name string) ([]byte, error) {
	data, err := t.read(name)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(data), nil
}

// read returns the content of the regular file name of the tree, which
// the caller must not modify.
func (t *treeFS) read(name string) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	id, err := t.w.lookup(t.root, name, false)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if id.IsZero() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	typ, data, err := t.w.rd.Read(id)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("commit %s: %w", t.commit, err)}
	}
	if typ != odb.Blob {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return data, nil
}

// String names the tree for messages.
func (t *treeFS) String() string { return "commit " + t.commit }

type treeFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *treeFile) Stat() (fs.FileInfo, error) { return treeInfo{f}, nil }
func (f *treeFile) Close() error               { return nil }

var _ io.Reader = (*treeFile)(nil)

type treeInfo struct{ f *treeFile }

func (i treeInfo) Name() string {
	return i.f.name[strings.LastIndexByte(i.f.name, '/')+1:]
}
func (i treeInfo) Size() int64        { return i.f.size }
func (i treeInfo) Mode() fs.FileMode  { return 0o444 }
func (i treeInfo) ModTime() time.Time { return time.Time{} }
func (i treeInfo) IsDir() bool        { return false }
func (i treeInfo) Sys() any           { return nil }
