package hook

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// State is what a hook file of one kind is.
type State int

// The states of a hook file.
const (
	Absent  State = iota // no hook of this kind
	Keygate              // written by keygate
	Foreign              // someone else's
)

func (s State) String() string {
	switch s {
	case Keygate:
		return "keygate"
	case Foreign:
		return "not keygate's"
	}
	return "not installed"
}

// HookStatus is one kind's hook as Status finds it.
type HookStatus struct {
	Kind Kind
	Path string
	State
	// Chained is the original hook keygate runs first, if any.
	Chained string
	// Runs is nil when not asked (not keygate's); else whether git runs
	// the file, and RunErr why not.
	Runs   *bool
	RunErr error
}

// Status reports each kind's hook where git runs hooks for dir, and for
// keygate's own whether git runs them (the same probe as Install).
func Status(dir string) ([]HookStatus, error) {
	loc, err := Locate(dir)
	if err != nil {
		return nil, err
	}
	var out []HookStatus
	for _, k := range Kinds {
		st := HookStatus{Kind: k, Path: loc.Path(k)}
		st.State, err = stateOf(st.Path)
		if err != nil {
			return nil, err
		}
		chained := filepath.Join(loc.Dir, k.ChainedName())
		if _, err := os.Lstat(chained); err == nil {
			st.Chained = chained
		}
		if st.State == Keygate {
			err := runProbe(dir, loc, k)
			runs := err == nil
			if errors.Is(err, errNoHookRun) {
				err = nil // unknown: this git cannot say
			}
			st.Runs, st.RunErr = &runs, err
		}
		out = append(out, st)
	}
	return out, nil
}

func stateOf(path string) (State, error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			return Foreign, nil // a dangling link
		}
		return Absent, nil
	case err != nil:
		return Absent, fmt.Errorf("read %s: %w", path, err)
	case bytes.Contains(data, []byte(Marker)):
		return Keygate, nil
	}
	return Foreign, nil
}

// Removed is what Uninstall did for one kind.
type Removed struct {
	Kind Kind
	Path string
	// Restored is true when the chained original hook was moved back.
	Restored bool
	// Left is true for a hook that is not keygate's (left alone).
	Left bool
}

// Uninstall removes the hooks of kinds that keygate wrote (all kinds when
// empty) and moves a chained original back to its place as it was, byte
// for byte (a rename: content, mode and a symlink unchanged). A hook that
// is not keygate's is left alone and reported.
func Uninstall(dir string, kinds []Kind) ([]Removed, error) {
	loc, err := Locate(dir)
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		kinds = Kinds
	}
	var out []Removed
	for _, k := range kinds {
		path := loc.Path(k)
		state, err := stateOf(path)
		if err != nil {
			return out, err
		}
		os.Remove(filepath.Join(loc.Dir, k.probeName())) // a probe's leftover
		switch state {
		case Absent:
			continue
		case Foreign:
			out = append(out, Removed{Kind: k, Path: path, Left: true})
			continue
		}
		if err := os.Remove(path); err != nil {
			return out, fmt.Errorf("remove %s: %w", path, err)
		}
		r := Removed{Kind: k, Path: path}
		chained := filepath.Join(loc.Dir, k.ChainedName())
		if _, err := os.Lstat(chained); err == nil {
			if err := os.Rename(chained, path); err != nil {
				return out, fmt.Errorf("restore %s: %w", path, err)
			}
			r.Restored = true
		}
		out = append(out, r)
	}
	return out, nil
}
