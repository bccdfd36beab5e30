// Package odb reads git objects straight from a repository's packfiles and
// loose objects, for the history scan: each pack's index is read once, the
// pack itself with positioned reads that are safe from any goroutine, and
// delta chains are resolved through a cache shared by all readers, so
// objects read in history order (each version of a file after the one
// before) inflate each delta base about once. It reads only SHA-1
// repositories; anything it cannot find (a pack it cannot read) is asked
// of a fallback.
//
// Its input may be hostile, and it fails closed in bounded memory: no
// size a header claims is allocated before it is checked against the
// bytes that could hold it and against Limits (an object over
// Limits.MaxObject is a *TooLargeError); delta chains are followed without
// recursion, within one depth and byte budget across packs, and a chain
// that comes back to an object already on it is an error; a pack index's
// checksum is checked once, and Verify reports it for every index read
// through, before a verdict (reads do not wait for it: see checkSum); a
// pack is checked to be its index's before its first read; every packed
// object found by its id is checked against the CRC-32 the index gives its
// packed bytes, and every zlib stream against its Adler-32, so an index
// that points one id at another object's bytes is an error, never that
// other object's content; and a loose object is checked against its id
// (its SHA-1). What the CRC cannot tell, an index rewritten whole with the
// CRCs of the bytes it wrongly points at, is what git itself would read
// for that id: the scan reads what git gives, as git gives it.
package odb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keygate/keygate/internal/mmapfile"
	"github.com/keygate/keygate/source/odb/ahead"
)

// Type is a git object type, numbered as in packfiles.
type Type int8

// Object types.
const (
	Commit Type = 1
	Tree   Type = 2
	Blob   Type = 3
	Tag    Type = 4
)

func (t Type) String() string {
	switch t {
	case Commit:
		return "commit"
	case Tree:
		return "tree"
	case Blob:
		return "blob"
	case Tag:
		return "tag"
	}
	return fmt.Sprintf("type %d", t)
}

// ErrNotFound is returned for an object that is in no pack, no loose
// file, and not found by the fallback.
var ErrNotFound = errors.New("object not found")

// Fallback reads an object this package cannot (alternates, unusual
// packs). It must be safe for concurrent use.
type Fallback func(h plumbing.Hash) (Type, []byte, error)

// DB is a repository's object store. It is safe for concurrent use; each
// goroutine reads through its own Reader.
type DB struct {
	dirs     []string // the objects directory, then its alternates
	packs    []*pack
	fallback Fallback
	cache    *lru
	limits   Limits
}

// Options configure Open.
type Options struct {
	// Fallback reads what this package cannot; nil: nothing.
	Fallback Fallback
	// CacheBytes bounds the resolved objects kept for the readers.
	CacheBytes int
	// MapBytes bounds the pack bytes mapped into memory (0: DefaultMapBytes;
	// negative: none). Packs are mapped while their total stays within it,
	// and the rest are read with ReadAt: a mapped page a scan touched
	// counts in the process's resident memory (a CI container's limit sees
	// it), a page read into the page cache does not.
	MapBytes int64
	// Limits bound each read; zero fields take their defaults.
	Limits Limits
	// Getenv reads git's object environment (EnvDirs); nil: os.Getenv.
	Getenv func(string) string
}

// DefaultMapBytes is the mapping budget when Options.MapBytes is zero.
const DefaultMapBytes = 64 << 20

// maxAlternates bounds the chain of alternates, as git does (depth 5).
const maxAlternates = 5

// Open opens the objects directory dir (".git/objects"), the ones git's
// environment names (EnvDirs: a push's quarantine, as a pre-receive hook
// sees it) and those their info/alternates name (a shared or referenced
// clone), with a cache of up to opts.CacheBytes of resolved objects shared
// by its readers. Packs whose index it cannot read are left to the
// fallback.
func Open(dir string, opts Options) (*DB, error) {
	db := &DB{fallback: opts.Fallback, cache: newLRU(opts.CacheBytes), limits: opts.Limits.withDefaults()}
	mapLeft := opts.MapBytes
	if mapLeft == 0 {
		mapLeft = DefaultMapBytes
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	env := EnvDirs(getenv)
	// git reads GIT_OBJECT_DIRECTORY instead of the repository's own; the
	// repository's is read too (one more place to look never hides an
	// object: each is checked against its id).
	if len(env) > 0 && getenv("GIT_OBJECT_DIRECTORY") != "" {
		db.addDir(env[0], 0)
		env = env[1:]
	}
	if dir != "" {
		db.addDir(dir, 0)
	}
	for _, d := range env {
		db.addDir(d, 0)
	}
	for _, d := range db.dirs {
		idxs, err := filepath.Glob(filepath.Join(d, "pack", "*.idx"))
		if err != nil {
			return nil, fmt.Errorf("list packs in %s: %w", d, err)
		}
		sort.Strings(idxs)
		for _, idx := range idxs {
			p, err := openPack(idx, strings.TrimSuffix(idx, ".idx")+".pack", &mapLeft)
			if errors.Is(err, errUnsupported) || errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				db.Close()
				return nil, err
			}
			db.packs = append(db.packs, p)
		}
	}
	return db, nil
}

// EnvDirs are the object directories git's environment names, as git
// reads them (and as receive-pack sets them for a pre-receive hook, whose
// pushed objects wait in a quarantine directory until the hook accepts
// them): GIT_OBJECT_DIRECTORY, GIT_QUARANTINE_PATH, then each entry of
// GIT_ALTERNATE_OBJECT_DIRECTORIES (colon-separated; an entry in double
// quotes is C-quoted). Relative paths start at the working directory.
func EnvDirs(getenv func(string) string) []string {
	var out []string
	add := func(d string) {
		if d == "" {
			return
		}
		if abs, err := filepath.Abs(d); err == nil {
			d = abs
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	add(getenv("GIT_OBJECT_DIRECTORY"))
	add(getenv("GIT_QUARANTINE_PATH"))
	alt := getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES")
	for alt != "" {
		var entry string
		if alt[0] == '"' {
			// A quoted entry runs to its closing quote.
			end := 1
			for end < len(alt) && alt[end] != '"' {
				if alt[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(alt) {
				add(alt) // unterminated: take it as it is
				break
			}
			q := alt[:end+1]
			if u, err := strconv.Unquote(q); err == nil {
				entry = u
			} else {
				entry = q
			}
			alt = strings.TrimPrefix(alt[end+1:], ":")
		} else {
			entry, alt, _ = strings.Cut(alt, ":")
		}
		add(entry)
	}
	return out
}

// addDir adds an objects directory and, depth first, its alternates: one
// path a line, relative ones from the directory itself.
func (db *DB) addDir(dir string, depth int) {
	dir = filepath.Clean(dir)
	if depth > maxAlternates || slices.Contains(db.dirs, dir) {
		return
	}
	db.dirs = append(db.dirs, dir)
	b, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		db.addDir(line, depth+1)
	}
}

// CheckIndexes starts each pack index's own check (checkSum) in the
// background, so that it runs while the caller does other work; Verify
// waits for it. A one-file commit hook's verdict comes soon after the
// store is open, and the check of a large repository's index (vite's 8
// MB: 5 ms of SHA-1) was a third of its wall time.
// The checks run one after another, the largest index first (the
// repository's main pack, where the first lookup most likely lands), on
// one goroutine: a repository of many packs keeps one core busy, not all.
//
// Indexes of under ahead.MinSize bytes in all are checked when Verify
// asks.
// (A staged scan's largest index may be checked already, from the
// process's start: package ahead.)
func (db *DB) CheckIndexes() { db.checkIndexesAbove(ahead.MinSize) }

// checkIndexesAbove is CheckIndexes for indexes of at least min bytes in
// all.
func (db *DB) checkIndexesAbove(min int) {
	total := 0
	for _, p := range db.packs {
		total += len(p.idx)
	}
	if total < min {
		return
	}
	packs := slices.Clone(db.packs)
	slices.SortStableFunc(packs, func(a, b *pack) int { return len(b.idx) - len(a.idx) })
	go func() {
		for _, p := range packs {
			_ = p.checkSum() // Verify reads the result
		}
	}()
}

// Close releases the pack files.
func (db *DB) Close() error {
	var first error
	for _, p := range db.packs {
		// A check still reading the index finishes first (or, not
		// started, never starts).
		p.sumOnce.Do(func() {})
		if err := mmapfile.Unmap(p.data); err != nil && first == nil {
			first = err
		}
		if err := p.unmapIndex(p.idx); err != nil && first == nil {
			first = err
		}
		if err := p.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	db.packs = nil
	return first
}

// Reader reads objects for one goroutine, with its own buffers.
type Reader struct {
	db    *DB
	inf   inflater
	chain []hop // the delta chain being resolved
	seen  []key // where its ref-deltas led, to find a cycle
	// deltaBuf is reused for delta bodies, dropped once applied.
	deltaBuf []byte
	// sized is the delta Size inflated whole, which the read that
	// follows applies instead of inflating it again. It is keyed by
	// where it is in which pack: whenever it is used, it holds those
	// bytes' delta.
	sized struct {
		ok    bool
		at    key
		delta []byte
		crc   uint32 // of its packed bytes
	}
}

// maxReused bounds a buffer a Reader keeps for the next object.
const maxReused = 1 << 20

// reusable is b to keep for reuse, or nil when it is too large to keep.
func reusable(b []byte) []byte {
	if cap(b) > maxReused {
		return nil
	}
	return b
}

// NewReader returns a reader for one goroutine.
func (db *DB) NewReader() *Reader { return &Reader{db: db} }

// LargeObject: an object stored whole and bigger than this is first read
// only up to the sniff ReadOrSkip asks for.
const LargeObject = 1 << 20

// locate finds where h is packed, and its position in that pack's index,
// in pack first (-1: none) and then in every pack in order. A pack is
// checked to be its index's before its first use, and marked used, for
// Verify.
func (db *DB) locate(h plumbing.Hash, first int) (at key, pos int, found bool, err error) {
	if first >= 0 {
		if off, pos, ok := db.packs[first].find(h); ok {
			return key{first, off}, pos, true, db.packs[first].use()
		}
	}
	for i, p := range db.packs {
		if i == first {
			continue
		}
		if off, pos, ok := p.find(h); ok {
			return key{i, off}, pos, true, p.use()
		}
	}
	return key{}, 0, false, nil
}

func (p *pack) use() error {
	p.used.Store(true)
	return p.checkPack()
}

// Verify checks the index of every pack an object was looked up in
// against its own checksum, waiting for the checks already under way
// (CheckIndexes, package ahead). A verdict on what was read waits for it:
// reads go ahead without it (see checkSum), a pass does not.
func (db *DB) Verify() error { return db.checkSums(false) }

// VerifyAll is Verify of every pack's index, whether an object was looked
// up in it or not: where a revision cannot be found, a damaged index is a
// likelier cause than a revision that does not exist.
func (db *DB) VerifyAll() error { return db.checkSums(true) }

func (db *DB) checkSums(all bool) error {
	var errs []error
	for _, p := range db.packs {
		if all || p.used.Load() {
			if err := p.checkSum(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// ReadOrSkip reads an object like Read, but for a large one stored whole
// (packed or loose) it first inflates only its first n bytes, and stops
// there when skip reports true of them: a 500 MB archive committed by
// mistake costs a few KB to recognise as binary, not its whole inflation.
// skipped tells which; data is then that prefix (not checked against h: it
// is not read whole). An object over Limits.MaxObject that is not skipped
// is a *TooLargeError.
func (r *Reader) ReadOrSkip(h plumbing.Hash, n int, skip func(head []byte) bool) (t Type, data []byte, skipped bool, err error) {
	at, pos, found, err := r.db.locate(h, -1)
	if found && err == nil {
		p := r.db.packs[at.pack]
		if skip != nil {
			hd, err := r.inf.object(p, at.off)
			if err == nil && hd.kind < ofsDelta && hd.size > LargeObject {
				head, err := r.inf.inflate(p, hd.dataOff, hd.size, n)
				if err == nil && skip(head) {
					return Type(hd.kind), head, true, nil
				}
			}
		}
		t, data, err = r.readPacked(h, at, pos)
	}
	if found {
		if err != nil {
			return 0, nil, false, objectError(h, filepath.Base(r.db.packs[at.pack].path), err)
		}
		return t, data, false, nil
	}
	t, data, skipped, err = r.readLoose(h, n, skip)
	if !errors.Is(err, os.ErrNotExist) {
		if err != nil {
			return 0, nil, false, objectError(h, "a loose file", err)
		}
		return t, data, skipped, nil
	}
	if r.db.fallback != nil {
		t, data, err = r.db.fallback(h)
		return t, data, false, err
	}
	return 0, nil, false, fmt.Errorf("object %s: %w", h, ErrNotFound)
}

// objectError names the object read, and where, in err; a
// *TooLargeError is given the id of the object asked for.
func objectError(h plumbing.Hash, where string, err error) error {
	var tl *TooLargeError
	if errors.As(err, &tl) {
		tl.ID = h
		return fmt.Errorf("%w (in %s)", tl, where)
	}
	return fmt.Errorf("object %s in %s: %w", h, where, err)
}

// Read returns an object's type and content. The content may be shared
// with the cache: callers must not modify it.
func (r *Reader) Read(h plumbing.Hash) (Type, []byte, error) {
	t, data, _, err := r.ReadOrSkip(h, 0, nil)
	return t, data, err
}
