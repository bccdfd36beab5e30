package rotate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func (r *Rotator) lockPath() string  { return filepath.Join(r.stateDir(), "rotation.lock") }
func (r *Rotator) guardPath() string { return filepath.Join(r.stateDir(), ".rotation.lock.guard") }

// lock takes the rotation lock: one keygate rotate process at a time.
//
// The lock never exists without its owner: the pid is written to a temp
// file that is then hard-linked into place, and link(2) fails when a lock
// is already there. (Created empty and filled after, a reader could take
// the lock for one left by a dead process and remove it.) Taking over a
// lock whose process is gone happens under an flock on a guard file, so two
// takers cannot each remove the other's fresh lock.
func (r *Rotator) lock() (func(), error) {
	if err := r.ensureStateDir(); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%d %s %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	for attempt := 0; attempt < 5; attempt++ {
		err := linkNew(r.lockPath(), []byte(owner))
		if err == nil {
			r.checkpoint("lock-taken")
			r.sweepTemps()
			return func() { os.Remove(r.lockPath()) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("take the rotation lock %s: %w", r.lockPath(), err)
		}
		if err := r.clearStaleLock(); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("take the rotation lock %s: it keeps reappearing", r.lockPath())
}

// clearStaleLock removes the lock when its process is gone, and refuses
// when it is alive.
func (r *Rotator) clearStaleLock() error {
	release, err := guard(r.guardPath())
	if err != nil {
		return fmt.Errorf("take the rotation lock guard %s: %w", r.guardPath(), err)
	}
	defer release()
	// Under the guard the lock can only disappear (its owner finishing),
	// never be replaced, so what is read here is what is removed.
	if _, err := os.Lstat(r.lockPath()); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	pid, alive := lockHolder(r.lockPath())
	if alive {
		return &StepError{Msg: fmt.Sprintf("another keygate rotate (pid %d) holds %s: wait for it to finish", pid, r.lockPath())}
	}
	if err := os.Remove(r.lockPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the stale rotation lock %s: %w", r.lockPath(), err)
	}
	return nil
}

// linkNew creates path holding data, atomically and only when path does
// not exist (os.ErrExist then).
func linkNew(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".new-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return werr
	}
	return os.Link(name, path)
}

// lockHolder reads the lock's pid and whether that process is alive. An
// unreadable or pid-less lock has no live holder.
func lockHolder(path string) (int, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.Fields(string(data) + " 0")[0])
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, processAlive(pid)
}
