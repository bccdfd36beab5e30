package rotate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ensureStateDir creates the state directory (mode 0700) with a
// .gitignore of "*": the backup in it holds the old keys, and nothing in
// it belongs in git.
func (r *Rotator) ensureStateDir() error {
	if err := os.MkdirAll(r.stateDir(), 0o700); err != nil {
		return fmt.Errorf("create the state directory: %w", err)
	}
	// Created only when absent, in place: concurrent commands race here
	// before any holds the lock, and a partial file still ignores "*".
	f, err := os.OpenFile(filepath.Join(r.stateDir(), ".gitignore"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gitignore the state directory: %w", err)
	}
	_, err = f.WriteString("# written by keygate rotate: rotation state and the env backup stay out of git\n*\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("gitignore the state directory: %w", err)
	}
	return nil
}

// tempPatterns are the temp files an atomic write leaves when the process
// is killed between creating and renaming them: next to the env file (they
// may hold the new keys) and in the state directory.
func (r *Rotator) tempPatterns() []string {
	env := r.envPath()
	return []string{
		filepath.Join(filepath.Dir(env), "."+filepath.Base(env)+".tmp-*"),
		filepath.Join(r.stateDir(), ".*.tmp-*"),
	}
}

// sweepTemps removes the temp files an interrupted run left. It runs under
// the rotation lock: no other keygate process is writing them then.
func (r *Rotator) sweepTemps() {
	for _, pat := range r.tempPatterns() {
		names, _ := filepath.Glob(pat)
		for _, name := range names {
			if fi, err := os.Lstat(name); err != nil || !fi.Mode().IsRegular() {
				continue
			}
			if err := os.Remove(name); err == nil {
				r.say("removed %s, left by an interrupted run", r.rel(name))
			}
		}
	}
}

// rel is path relative to the root when it is inside it, for messages.
func (r *Rotator) rel(path string) string {
	if rel, err := filepath.Rel(r.Root, path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}
