package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5/helper/mount"
	"github.com/go-git/go-billy/v5/helper/polyfill"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/keygate/keygate/source/odb"
)

// objectCache is the delta-base cache shared by a repository's object
// readers.
const objectCache = 24 << 20

// objects opens the repository's object store once: packs and loose
// objects read directly, anything else through go-git.
func (r *Repo) objects() (*odb.DB, error) {
	r.odbOnce.Do(func() {
		dir := ""
		if fs, ok := r.repo.Storer.(*filesystem.Storage); ok {
			dir = objectsDir(fs.Filesystem().Root())
		}
		var mu sync.Mutex
		// go-git reads the repository's objects and its alternates; the
		// directories git's environment names (a push's quarantine) are
		// opened beside it.
		stores := []objectReader{r.repo.Storer}
		for _, d := range odb.EnvDirs(os.Getenv) {
			stores = append(stores, objectsAt(d))
		}
		fallback := func(h plumbing.Hash) (odb.Type, []byte, error) {
			mu.Lock() // go-git handles are not safe for concurrent reads
			defer mu.Unlock()
			var o plumbing.EncodedObject
			err := plumbing.ErrObjectNotFound
			for _, st := range stores {
				if o, err = st.EncodedObject(plumbing.AnyObject, h); !errors.Is(err, plumbing.ErrObjectNotFound) {
					break
				}
			}
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return 0, nil, fmt.Errorf("object %s: %w", h, odb.ErrNotFound)
			}
			if err != nil {
				return 0, nil, fmt.Errorf("object %s: %w", h, err)
			}
			// The same bound odb keeps, before anything is read.
			if max := r.maxObject(); o.Size() > max {
				return 0, nil, &odb.TooLargeError{ID: h, Size: o.Size(), Max: max}
			}
			rc, err := o.Reader()
			if err != nil {
				return 0, nil, fmt.Errorf("object %s: %w", h, err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				return 0, nil, fmt.Errorf("object %s: %w", h, err)
			}
			return odb.Type(o.Type()), data, nil
		}
		r.odb, r.odbErr = odb.Open(dir, odb.Options{Fallback: fallback, CacheBytes: objectCache, Limits: odb.Limits{MaxObject: r.maxObject()}})
	})
	return r.odb, r.odbErr
}

// Prepare opens the object store and starts checking its pack indexes in
// the background, for a scan about to read objects: a staged scan's
// caller calls it before loading its engine, which the checks then
// overlap. Errors are met again, and reported, by the scan's first read.
func (r *Repo) Prepare() {
	go func() {
		if db, err := r.objects(); err == nil {
			db.CheckIndexes()
		}
	}()
}

// Verify checks the pack indexes the scan read objects through against
// their own checksums (odb.DB.Verify): a staged, history or range scan's
// verdict waits for it.
func (r *Repo) Verify() error {
	db, err := r.objects()
	if err != nil {
		return nil // the store did not open: the reads said so
	}
	return db.Verify()
}

func (r *Repo) maxObject() int64 {
	if r.MaxObject > 0 {
		return r.MaxObject
	}
	return odb.DefaultMaxObject
}

// Partial reports whether the repository is a partial clone: objects it
// lacks are left at a promisor remote (git clone --filter).
func (r *Repo) Partial() bool {
	cfg, err := r.repo.Config()
	if err != nil {
		return false
	}
	if cfg.Raw.Section("extensions").Option("partialClone") != "" {
		return true
	}
	for _, sub := range cfg.Raw.Section("remote").Subsections {
		if strings.EqualFold(sub.Option("promisor"), "true") {
			return true
		}
	}
	return false
}

// objectReader is what the fallback asks of a go-git object store.
type objectReader interface {
	EncodedObject(plumbing.ObjectType, plumbing.Hash) (plumbing.EncodedObject, error)
}

// objectsAt opens the objects directory dir with go-git, whose storage
// expects a git directory: dir is mounted as its "objects".
func objectsAt(dir string) objectReader {
	fs := polyfill.New(mount.New(memfs.New(), "objects", osfs.New(dir, osfs.WithBoundOS())))
	return filesystem.NewObjectStorageWithOptions(dotgit.New(fs), cache.NewObjectLRU(cache.MiByte), filesystem.Options{KeepDescriptors: true})
}

// objectsDir is where a git directory keeps its objects: a linked work
// tree's git directory names the shared one in "commondir".
func objectsDir(gitDir string) string {
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		return filepath.Join(common, "objects")
	}
	return filepath.Join(gitDir, "objects")
}

// BlobReader reads blob contents for one goroutine.
type BlobReader struct{ r *odb.Reader }

// NewBlobReaders returns n readers, one per goroutine. Readers share the
// repository's delta-base cache: reading the versions of a file in order
// resolves each delta chain about once.
func (r *Repo) NewBlobReaders(n int) ([]*BlobReader, error) {
	db, err := r.objects()
	if err != nil {
		return nil, err
	}
	out := make([]*BlobReader, n)
	for i := range out {
		out[i] = &BlobReader{db.NewReader()}
	}
	return out, nil
}

// ObjectID is a git object's id.
type ObjectID = plumbing.Hash

// Read returns the content of blob id; it must not be modified.
func (b *BlobReader) Read(id ObjectID) ([]byte, error) {
	t, data, _, err := b.r.ReadOrSkip(id, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", id, err)
	}
	if t != odb.Blob {
		return nil, fmt.Errorf("read blob %s: it is a %s", id, t)
	}
	return data, nil
}

// Size returns blob id's size without reading it whole, or -1 when that
// is not known cheaply.
func (b *BlobReader) Size(id ObjectID) (int64, error) {
	n, err := b.r.Size(id)
	if err != nil {
		return 0, fmt.Errorf("size of blob %s: %w", id, err)
	}
	return n, nil
}
