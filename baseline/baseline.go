// Package baseline is the file of accepted findings (.keygate-baseline.json)
// that `keygate baseline` writes and every scan reads. It holds no value:
// fingerprints are one-way, and the masked form is kept only to help a
// reviewer recognise an entry.
//
// A scan asks only whether a fingerprint is accepted, and a baseline may
// hold millions: a loaded file is read in a stream and keeps its
// fingerprints alone, 16 bytes each (fingerprints.go); its entries are
// read again from the file when they are wanted (Each).
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"github.com/keygate/keygate/internal/atomicfile"
)

// Version is the format version of the baseline file.
const Version = 1

// File is a set of accepted finding fingerprints.
type File struct {
	Version int `json:"version"`
	// Entries are the entries of a baseline built by New (or Merge), as
	// Write writes them; a loaded file leaves them nil (see Each).
	Entries []Entry `json:"findings"`
	set     fingerprints
	name    string
	src     io.ReaderAt // a loaded file's bytes, read again by Each
	size    int64
	list    int       // the "findings" key whose entries count (the last)
	closer  io.Closer // the open file src reads, if any
}

// Entry is one accepted finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Path        string `json:"path"`
	Masked      string `json:"secret_masked"`
}

// Has reports whether fp is in the baseline; a nil baseline has nothing.
func (b *File) Has(fp string) bool {
	if b == nil {
		return false
	}
	return b.set.has(fp)
}

// Len is the number of entries.
func (b *File) Len() int {
	if b == nil {
		return 0
	}
	if b.src == nil {
		return len(b.Entries)
	}
	return b.set.len()
}

// Each calls fn with every entry, in file order (a loaded file is read
// again); a nil baseline has none.
func (b *File) Each(fn func(Entry)) error {
	if b == nil {
		return nil
	}
	if b.src == nil {
		for _, e := range b.Entries {
			fn(e)
		}
		return nil
	}
	_, _, err := decode(io.NewSectionReader(b.src, 0, b.size), func(list int, e Entry) {
		if list == b.list {
			fn(e)
		}
	})
	if err != nil {
		return fmt.Errorf("load baseline %s: %w", b.name, err)
	}
	return nil
}

// Load reads a baseline file; a missing file is an empty baseline (nil).
// A large file stays open for Each until Close.
func Load(path string) (*File, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", path, err)
	}
	return load(path, f)
}

// LoadFS reads the baseline file at path in fsys (a commit's tree, say); a
// missing file is an empty baseline (nil). name is the file in errors.
func LoadFS(fsys fs.FS, path, name string) (*File, error) {
	f, err := fsys.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", name, err)
	}
	return load(name, f)
}

// load parses f, read at offsets where it can be (then kept open), else
// read whole.
func load(name string, f fs.File) (*File, error) {
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("load baseline %s: %w", name, err)
	}
	if ra, ok := f.(io.ReaderAt); ok && info.Mode().IsRegular() && info.Size() > inMemory {
		b, err := parse(name, ra, info.Size())
		if err != nil {
			f.Close()
			return nil, err
		}
		b.closer = f
		return b, nil
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", name, err)
	}
	return Parse(name, data)
}

// inMemory is the size up to which a file is read whole (and closed).
const inMemory = 1 << 20

// Close releases the file a large loaded baseline reads its entries from
// (before the file is replaced, say: Windows renames no open file).
func (b *File) Close() error {
	if b == nil || b.closer == nil {
		return nil
	}
	err := b.closer.Close()
	b.closer = nil
	return err
}

// Parse reads a baseline from data; name is the file in errors.
func Parse(name string, data []byte) (*File, error) {
	return parse(name, bytes.NewReader(data), int64(len(data)))
}

func parse(name string, src io.ReaderAt, size int64) (*File, error) {
	b := &File{name: name, src: src, size: size}
	list := 0
	v, lists, err := decode(io.NewSectionReader(src, 0, size), func(n int, e Entry) {
		if n != list { // a later "findings" replaces the earlier, as encoding/json reads it
			list, b.set = n, fingerprints{}
		}
		b.set.add(e.Fingerprint)
	})
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: not a keygate baseline (%v); regenerate it with `keygate baseline`", name, err)
	}
	if v != Version {
		return nil, fmt.Errorf("load baseline %s: version %d, want %d; regenerate it with `keygate baseline`", name, v, Version)
	}
	b.Version, b.list = v, lists
	if list != lists { // the last "findings" is empty
		b.set = fingerprints{}
	}
	b.set.sort()
	return b, nil
}

// New builds a baseline of entries, one per fingerprint, in path order.
func New(entries []Entry) *File {
	b := &File{Version: Version}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Fingerprint] {
			continue
		}
		seen[e.Fingerprint] = true
		b.set.add(e.Fingerprint)
		b.Entries = append(b.Entries, e)
	}
	b.set.sort()
	sort.Slice(b.Entries, func(i, j int) bool {
		if b.Entries[i].Path != b.Entries[j].Path {
			return b.Entries[i].Path < b.Entries[j].Path
		}
		return b.Entries[i].Fingerprint < b.Entries[j].Fingerprint
	})
	if b.Entries == nil {
		b.Entries = []Entry{}
	}
	return b
}

// Write stores the baseline atomically: a loaded one is read again whole.
func (b *File) Write(path string) error {
	out := struct {
		Version int     `json:"version"`
		Entries []Entry `json:"findings"`
	}{b.Version, b.Entries}
	if b.src != nil {
		out.Entries = []Entry{}
		if err := b.Each(func(e Entry) { out.Entries = append(out.Entries, e) }); err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}
