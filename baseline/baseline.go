// Package baseline is the file of accepted findings (.keygate-baseline.json)
// that `keygate baseline` writes and every scan reads. It holds no value:
// fingerprints are one-way, and the masked form is kept only to help a
// reviewer recognise an entry.
package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	"github.com/keygate/keygate/internal/atomicfile"
)

// Version is the format version of the baseline file.
const Version = 1

// File is a set of accepted finding fingerprints.
type File struct {
	Version int     `json:"version"`
	Entries []Entry `json:"findings"`
	set     map[string]bool
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
	return b.set[fp]
}

// Load reads a baseline file; a missing file is an empty baseline (nil).
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", path, err)
	}
	return Parse(path, data)
}

// LoadFS reads the baseline file at path in fsys (a commit's tree, say); a
// missing file is an empty baseline (nil). name is the file in errors.
func LoadFS(fsys fs.FS, path, name string) (*File, error) {
	data, err := fs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", name, err)
	}
	return Parse(name, data)
}

// Parse reads a baseline from data; name is the file in errors.
func Parse(name string, data []byte) (*File, error) {
	var b File
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("load baseline %s: not a keygate baseline (%v); regenerate it with `keygate baseline`", name, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("load baseline %s: version %d, want %d; regenerate it with `keygate baseline`", name, b.Version, Version)
	}
	b.set = map[string]bool{}
	for _, e := range b.Entries {
		b.set[e.Fingerprint] = true
	}
	return &b, nil
}

// New builds a baseline of entries, one per fingerprint, in path order.
func New(entries []Entry) *File {
	b := &File{Version: Version, set: map[string]bool{}}
	for _, e := range entries {
		if b.set[e.Fingerprint] {
			continue
		}
		b.set[e.Fingerprint] = true
		b.Entries = append(b.Entries, e)
	}
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

// Write stores the baseline atomically.
func (b *File) Write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}
