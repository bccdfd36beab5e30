// Package source says where bytes come from: working-tree scopes and
// explicit paths (files.go), the index git commits from against HEAD
// (git.go), and the history's commits, trees and blob versions (history.go,
// trees.go, commits.go), with objects read through source/odb. It knows
// nothing of rules. It never reports a file it could not read as clean:
// every unreadable file, object or ref is an error for the caller.
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/keygate/keygate/internal/glob"
	"github.com/keygate/keygate/internal/rootpath"
)

// File is one working-tree file to scan.
type File struct {
	// Path is slash-separated and relative to the root: what reports show.
	Path string
	// Abs is the path to open.
	Abs string
}

// Skip is a path deliberately not scanned, and why.
type Skip struct {
	Path   string
	Reason string
	// Configured is set when .keygate.yaml's skip: names the path: its
	// Reason is then the configured one.
	Configured bool
}

// FileList is what expanding scopes or paths gives: the files to scan,
// and what was skipped or could not be read.
type FileList struct {
	Files   []File
	Skipped []Skip
	// Errors are paths that could not be listed or inspected; a scan with
	// any of them is incomplete and must not pass.
	Errors []error
}

// Scopes lists the regular files under root that match any glob. Scopes are
// walked whether or not git ignores them (bot logs usually are ignored), and
// only from each glob's literal base directory.
func Scopes(root string, globs []string) (*FileList, error) {
	return ScopesFollowing(root, globs, nil)
}

// ScopesFollowing is Scopes where the symlinks matching a follow glob are
// followed wherever they point (a bot's log folder linked to
// /var/log/bot1): their targets' files are listed under the link's path.
// Any other link out of the tree is listed as skipped, saying so.
func ScopesFollowing(root string, globs, follow []string) (*FileList, error) {
	return Lister{Follow: follow}.Scopes(root, globs)
}

// Paths lists explicit files and directories (directories recursively),
// relative to root when inside it.
func Paths(root string, paths []string) (*FileList, error) {
	return PathsFollowing(root, paths, nil)
}

// PathsFollowing is Paths with symlinks followed as ScopesFollowing does.
func PathsFollowing(root string, paths, follow []string) (*FileList, error) {
	return Lister{Follow: follow}.Paths(root, paths)
}

// Lister lists working-tree files (Scopes, Paths), following the links
// that match a Follow glob. Found, when not nil, is given each file as
// the walk lists it, in the walk's order rather than the list's, so that
// a scan reads files while the walk goes on: the walk is a working tree
// scan's one sequential part.
type Lister struct {
	Follow []string
	Found  func(File)
}

// Scopes is ScopesFollowing.
func (l Lister) Scopes(root string, globs []string) (*FileList, error) {
	for _, g := range globs {
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("bad scope glob %q", g)
		}
	}
	w := &walker{root: root, globs: globs, follow: l.Follow, found: l.Found, seen: map[string]bool{}, out: &FileList{}}
	for _, base := range bases(globs) {
		w.walk(filepath.Join(root, filepath.FromSlash(base)))
	}
	w.out.sort()
	return w.out, nil
}

// Paths is PathsFollowing.
func (l Lister) Paths(root string, paths []string) (*FileList, error) {
	abs := make([]string, len(paths))
	for i, p := range paths {
		abs[i] = rootpath.Resolve(root, p)
		if _, err := os.Lstat(abs[i]); err != nil {
			return nil, fmt.Errorf("scan %s: %w", p, err)
		}
	}
	w := &walker{root: root, follow: l.Follow, found: l.Found, seen: map[string]bool{}, out: &FileList{}}
	for _, a := range abs {
		w.walk(a)
	}
	w.out.sort()
	return w.out, nil
}

func (w *FileList) sort() {
	sort.Slice(w.Files, func(i, j int) bool { return w.Files[i].Path < w.Files[j].Path })
	sort.Slice(w.Skipped, func(i, j int) bool { return w.Skipped[i].Path < w.Skipped[j].Path })
}

// bases returns the distinct literal directories the globs start from,
// dropping any inside another.
func bases(globs []string) []string {
	var bs []string
	for _, g := range globs {
		base, _ := doublestar.SplitPattern(g)
		if base == "." || base == "" {
			base = "."
		}
		if !strings.ContainsAny(g, "*?[{") {
			base = g // a literal path: walk exactly it
		}
		bs = append(bs, base)
	}
	sort.Strings(bs)
	var out []string
	for _, b := range bs {
		if len(out) > 0 {
			last := out[len(out)-1]
			if b == last || last == "." || strings.HasPrefix(b, last+"/") {
				continue
			}
		}
		out = append(out, b)
	}
	return out
}

type walker struct {
	root   string
	globs  []string // nil: every file
	follow []string // globs of links followed out of the tree
	found  func(File)
	seen   map[string]bool
	out    *FileList
	// linked maps the real directories being walked through a followed
	// link to the link's path (a link back into one is a loop).
	linked map[string]string
}

func (w *walker) rel(abs string) string {
	if r, err := filepath.Rel(w.root, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(abs)
}

func (w *walker) matches(rel string) bool {
	if w.globs == nil {
		return true
	}
	return glob.Any(w.globs, rel)
}

// mayHold reports whether a directory at rel may hold a file a scope
// glob matches: each of a glob's components up to its first ** matches
// the directory's.
func (w *walker) mayHold(rel string) bool {
	if w.globs == nil {
		return true
	}
	dir := strings.Split(rel, "/")
	for _, g := range w.globs {
		parts := strings.Split(g, "/")
		ok := true
		for i, d := range dir {
			if i >= len(parts) {
				ok = false
				break
			}
			if parts[i] == "**" {
				break
			}
			if m, _ := doublestar.Match(parts[i], d); !m {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (w *walker) walk(start string) {
	w.walkAs(start, w.rel)
}

// walkAs walks start, naming each path by rel (a followed link's target
// is named under the link).
func (w *walker) walkAs(start string, rel func(string) string) {
	if _, err := os.Lstat(start); errors.Is(err, fs.ErrNotExist) {
		return // an absent scope is an empty scope
	}
	err := filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
		rel := rel(path)
		if err != nil {
			w.out.Errors = append(w.out.Errors, &WalkError{rel, UnwrapPath(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" && path != start {
				return fs.SkipDir
			}
			return nil
		}
		link := d.Type()&fs.ModeSymlink != 0
		if !(w.matches(rel) || link && w.mayHold(rel)) || w.seen[rel] {
			return nil
		}
		w.seen[rel] = true
		if link {
			w.symlink(path, rel)
			return nil
		}
		if !d.Type().IsRegular() {
			w.out.Skipped = append(w.out.Skipped, Skip{Path: rel, Reason: kind(d.Type()) + " is not read"})
			return nil
		}
		// No stat here: the directory entry says it is a regular file,
		// and the scan's open checks that again (OpenRegular).
		w.add(File{Path: rel, Abs: path})
		return nil
	})
	if err != nil {
		w.out.Errors = append(w.out.Errors, &WalkError{w.rel(start), UnwrapPath(err)})
	}
}

// symlink scans a link to a regular file inside the root as that file. A
// link to a directory is not followed (no loops, no double counting), and
// nothing outside the root is read.
func (w *walker) symlink(path, rel string) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		w.out.Skipped = append(w.out.Skipped, Skip{Path: rel, Reason: "symlink cannot be resolved (loop or dangling): " + UnwrapPath(err).Error()})
		return
	}
	rootReal, err := filepath.EvalSymlinks(w.root)
	if err != nil {
		rootReal = w.root
	}
	info, err := os.Stat(target)
	if err != nil {
		w.out.Errors = append(w.out.Errors, &WalkError{rel, UnwrapPath(err)})
		return
	}
	followed := len(w.follow) > 0 && glob.Any(w.follow, rel)
	if r, err := filepath.Rel(rootReal, target); !followed && (err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator))) {
		w.out.Skipped = append(w.out.Skipped, Skip{Path: rel, Reason: "symlink points outside the repository: not followed (list it under follow_symlinks: in .keygate.yaml to scan its target)"})
		return
	}
	switch {
	case info.IsDir() && followed:
		if from, ok := w.linked[target]; ok {
			w.out.Skipped = append(w.out.Skipped, Skip{Path: rel, Reason: "symlink loop: its target is already walked as " + from})
			return
		}
		if w.linked == nil {
			w.linked = map[string]string{}
		}
		w.linked[target] = rel
		w.walkAs(target, func(p string) string {
			if r, err := filepath.Rel(target, p); err == nil && r != "." {
				return rel + "/" + filepath.ToSlash(r)
			}
			return rel
		})
		delete(w.linked, target)
		return
	case info.IsDir():
		w.out.Skipped = append(w.out.Skipped, Skip{Path: rel, Reason: "symlink to a directory is not followed (list it under follow_symlinks: in .keygate.yaml to scan its target)"})
		return
	case !info.Mode().IsRegular():
		w.out.Skipped = append(w.out.Skipped, Skip{Path: rel, Reason: "symlink to " + kind(info.Mode()) + " is not followed"})
		return
	}
	if !w.matches(rel) {
		return
	}
	w.add(File{Path: rel, Abs: path})
}

// add lists f.
func (w *walker) add(f File) {
	w.out.Files = append(w.out.Files, f)
	if w.found != nil {
		w.found(f)
	}
}

// kind names what a non-regular file is: reading a named pipe or a device
// could block or never end, so none is read.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "an irregular file"
}

// WalkError is a path a walk could not list or inspect.
type WalkError struct {
	Path string // as reports show it
	Err  error
}

func (e *WalkError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *WalkError) Unwrap() error { return e.Err }

// ErrorPath is the path a walk error is about, if it names one.
func ErrorPath(err error) (string, bool) {
	var we *WalkError
	if errors.As(err, &we) {
		return we.Path, true
	}
	return "", false
}

// UnwrapPath drops the *PathError wrapper, whose absolute path would repeat
// the relative one already in the message.
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
