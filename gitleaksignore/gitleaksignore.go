// Package gitleaksignore reads gitleaks' .gitleaksignore, so a repository
// moving from gitleaks keeps the findings it reviewed suppressed.
//
// Each entry is a gitleaks fingerprint: path:rule:line (working tree) or
// commit:path:rule:line (history). As gitleaks reads it, an entry matches
// a finding of its own rule only, at its path and line (and commit, when
// it names one): a gitleaks rule id is mapped to the keygate rules that
// find the same secrets (ruleids.go), and an entry for an id keygate does
// not know matches nothing (the scan lists it as unused). As in gitleaks,
// an entry without a commit also matches that path and line in every
// commit of a history scan.
//
// A file may hold millions of entries, so a List holds no entry's text:
// each entry is a 64-bit key and the offset of its line (index.go), 16
// bytes where the strings took hundreds. A key hit is only a candidate:
// the entry's line is read again and compared field by field before it
// suppresses anything, so a hash collision can never hide a finding. The
// text of an entry is read again only when it must be printed (Unknown).
package gitleaksignore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// FileName is the file read at the repository root.
const FileName = ".gitleaksignore"

// maxLine is the longest line read; a longer one is an error.
const maxLine = 1 << 20

// inMemory is the size up to which a file is read whole; a larger one is
// read in a stream and its lines again, by offset, from the open file.
const inMemory = 1 << 20

// maxErrors is how many bad lines an error names; the rest are counted.
const maxErrors = 100

// Entry is one fingerprint of the file.
type Entry struct {
	Commit string // lowercase; empty for a working-tree entry
	Path   string
	RuleID string // gitleaks' or keygate's rule id
	Line   int
	// At is the entry's line in the ignore file.
	At int
}

// List is a parsed ignore file. A nil List matches nothing.
type List struct {
	name   string
	src    io.ReaderAt // the file's bytes, read again to confirm or print an entry
	size   int64
	closer io.Closer // the open file src reads, if any
	index  index
	ids    ruleIDs
}

// Load reads the ignore file at path; a missing file is an empty (nil) list.
// A large file stays open until Close.
func Load(path string) (*List, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return load(path, f)
}

// LoadFS reads the ignore file at the top of fsys (a commit's tree, say);
// a missing file is an empty (nil) list. name is the file in errors.
func LoadFS(fsys fs.FS, name string) (*List, error) {
	f, err := fsys.Open(FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return load(name, f)
}

// load parses f: a small file, or one that cannot be read at an offset,
// is read whole and closed; a large one is read in a stream and kept open.
func load(name string, f fs.File) (*List, error) {
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("load %s: is a directory", name)
	}
	if ra, ok := f.(io.ReaderAt); ok && info.Mode().IsRegular() && info.Size() > inMemory {
		l, err := parse(name, ra, info.Size())
		if err != nil {
			f.Close()
			return nil, err
		}
		l.closer = f
		return l, nil
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return Parse(name, data)
}

// Parse reads entries from data; name is used in errors, each of which
// names name:line. Blank lines and # comments are skipped.
func Parse(name string, data []byte) (*List, error) {
	return parse(name, bytes.NewReader(data), int64(len(data)))
}

func parse(name string, src io.ReaderAt, size int64) (*List, error) {
	l := &List{name: name, src: src, size: size}
	lines, err := countLines(src, size)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	l.index.init(lines)
	var errs []error
	bad := 0
	var key []byte
	err = l.eachLine(func(n int, off int64, text []byte) {
		e, err := parseFields(text)
		if err != nil {
			// The entry is not echoed: a mistyped line might hold anything.
			if bad++; bad <= maxErrors {
				errs = append(errs, fmt.Errorf("%s:%d: %w", name, n, err))
			}
			return
		}
		key = e.key(key[:0])
		l.index.add(key, off)
		l.ids.note(e.rule)
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	if bad > maxErrors {
		errs = append(errs, fmt.Errorf("%s: %d more bad lines", name, bad-maxErrors))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	l.index.sort()
	return l, nil
}

// eachLine calls fn with each entry line of the file (trimmed; blank lines
// and comments skipped), its number and the offset where it starts.
func (l *List) eachLine(fn func(n int, off int64, text []byte)) error {
	sc := bufio.NewScanner(io.NewSectionReader(l.src, 0, l.size))
	sc.Buffer(make([]byte, 0, min(64<<10, l.size+1)), maxLine)
	var start, next int64
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		adv, tok, err := bufio.ScanLines(data, atEOF)
		if tok != nil {
			start, next = next, next+int64(adv)
		}
		return adv, tok, err
	})
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		fn(n, start, text)
	}
	return sc.Err()
}

// countLines is how many lines src holds at most: the index's size.
func countLines(src io.ReaderAt, size int64) (int, error) {
	buf := make([]byte, min(256<<10, size))
	n := 1
	for off := int64(0); off < size; {
		k, err := src.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		n += bytes.Count(buf[:k], []byte{'\n'})
		off += int64(k)
		if err != nil && !(errors.Is(err, io.EOF) && off == size) {
			return 0, err
		}
	}
	return n, nil
}

// Len is the number of entries.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return l.index.len()
}

// Close releases the file a large list reads its entries from.
func (l *List) Close() error {
	if l == nil || l.closer == nil {
		return nil
	}
	err := l.closer.Close()
	l.closer = nil
	return err
}

// Match reports whether a finding of rule at path and line (in commit,
// empty for a working-tree, staged or stdin finding) is ignored.
func (l *List) Match(commit, path, rule string, line int) bool {
	if l == nil {
		return false
	}
	var lower []byte
	if commit != "" {
		lower = bytes.ToLower([]byte(commit))
	}
	var key []byte
	for _, id := range entryIDs(rule) {
		q := fields{path: []byte(path), rule: []byte(id), line: line}
		key = q.key(key[:0])
		if l.has(key, q) {
			return true
		}
		if commit != "" {
			q.commit = lower
			key = q.key(key[:0])
			if l.has(key, q) {
				return true
			}
		}
	}
	return false
}

// has reports whether an entry equal to q (whose key is key) is in the
// file: every entry with key's hash is read again and compared, so a
// collision suppresses nothing.
func (l *List) has(key []byte, q fields) bool {
	for off := range l.index.lookup(key) {
		text, err := l.lineAt(off)
		if err != nil {
			continue // unconfirmed: the finding stays
		}
		if e, err := parseFields(text); err == nil && e.equal(q) {
			return true
		}
	}
	return false
}

// lineAt reads the line starting at off, trimmed.
func (l *List) lineAt(off int64) ([]byte, error) {
	r := bufio.NewReaderSize(io.NewSectionReader(l.src, off, l.size-off), 512)
	var line []byte
	for {
		b, err := r.ReadSlice('\n')
		line = append(line, b...)
		if errors.Is(err, bufio.ErrBufferFull) && len(line) <= maxLine {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return bytes.TrimSpace(line), nil
	}
}

// entries reads every entry of the file again, in file order, calling fn
// with each that keep accepts (by its rule id).
func (l *List) entries(keep func(rule []byte) bool, fn func(Entry)) error {
	return l.eachLine(func(n int, _ int64, text []byte) {
		e, err := parseFields(text)
		if err != nil || !keep(e.rule) {
			return
		}
		fn(e.entry(n))
	})
}
