package rotate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keygate/keygate/internal/atomicfile"
)

// Steps of a rotation, in order. Finalized and RolledBack end it.
const (
	StepStaging    = "staging" // the env file is being rewritten
	StepStaged     = "staged"
	StepCutover    = "cutover"
	StepFailed     = "failed" // validation failed; roll back or cut over again
	StepValidated  = "validated"
	StepFinalized  = "finalized"
	StepRolledBack = "rolled_back"
)

// Var is one rotated variable: its name and masked suffixes, never values.
type Var struct {
	Name      string `json:"name"`
	OldMasked string `json:"old_masked"`
	NewMasked string `json:"new_masked"`
}

// Event is one line of a rotation's history.
type Event struct {
	Step string    `json:"step"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// State is .keygate/rotation.json: where a rotation stands. It holds no
// values: names, masked suffixes, digests of the env file, steps and times.
type State struct {
	ID             string     `json:"id"`
	Kind           string     `json:"kind"` // planned | break-glass
	Bot            string     `json:"bot"`
	Owner          string     `json:"owner"`
	Reason         string     `json:"reason,omitempty"`
	Step           string     `json:"step"`
	Vars           []Var      `json:"vars"`
	EnvFile        string     `json:"env_file"`
	BackupSHA256   string     `json:"backup_sha256"`
	NewSHA256      string     `json:"new_sha256"`
	StartedAt      time.Time  `json:"started_at"`
	StagedAt       *time.Time `json:"staged_at,omitempty"`
	CutoverAt      *time.Time `json:"cutover_at,omitempty"`
	ValidatedAt    *time.Time `json:"validated_at,omitempty"`
	EndedAt        *time.Time `json:"ended_at,omitempty"`
	InterruptionS  float64    `json:"interruption_seconds,omitempty"`
	SLOMet         *bool      `json:"slo_met,omitempty"`
	PauseConfirmed *bool      `json:"pause_confirmed,omitempty"`
	LastError      string     `json:"last_error,omitempty"`
	Audit          *KeyAudit  `json:"audit,omitempty"`
	History        []Event    `json:"history"`
}

// Active reports whether the rotation has not ended.
func (s *State) Active() bool {
	return s != nil && s.Step != StepFinalized && s.Step != StepRolledBack
}

func (s *State) event(step string, at time.Time, note string) {
	s.Step = step
	s.History = append(s.History, Event{Step: step, At: at.UTC(), Note: note})
}

func (r *Rotator) statePath() string  { return filepath.Join(r.stateDir(), "rotation.json") }
func (r *Rotator) backupPath() string { return filepath.Join(r.stateDir(), "env.backup") }
func (r *Rotator) lockPath() string   { return filepath.Join(r.stateDir(), "rotation.lock") }

func (r *Rotator) stateDir() string { return r.abs(r.Config.Rotate.StateDir) }

// loadState returns the saved state, or nil when there is none.
func (r *Rotator) loadState() (*State, error) {
	data, err := os.ReadFile(r.statePath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read rotation state: %w", err)
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("rotation state %s is corrupt (%v): inspect it, then remove it to start over", r.statePath(), err)
	}
	return &s, nil
}

func (r *Rotator) saveState(s *State) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.stateDir(), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(r.statePath(), append(data, '\n'), 0o600)
}

// lock takes the rotation lock: one keygate rotate process at a time. A
// lock left by a dead process is taken over.
func (r *Rotator) lock() (func(), error) {
	if err := os.MkdirAll(r.stateDir(), 0o700); err != nil {
		return nil, err
	}
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(r.lockPath(), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			host, _ := os.Hostname()
			fmt.Fprintf(f, "%d %s %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
			f.Close()
			return func() { os.Remove(r.lockPath()) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("take the rotation lock: %w", err)
		}
		pid, alive := lockHolder(r.lockPath())
		if alive {
			return nil, &StepError{Msg: fmt.Sprintf("another keygate rotate (pid %d) holds %s: wait for it to finish", pid, r.lockPath())}
		}
		os.Remove(r.lockPath()) // stale: its process is gone
	}
	return nil, fmt.Errorf("take the rotation lock %s: it keeps reappearing", r.lockPath())
}

// lockHolder reads the lock's pid and whether that process is alive.
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

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// testPause lets a test kill the process at a named point (to prove crash
// safety with a real SIGKILL): with KEYGATE_TEST_PAUSE_AT set to the point,
// the process says so on stderr and waits to be killed.
func (r *Rotator) testPause(point string) {
	if os.Getenv("KEYGATE_TEST_PAUSE_AT") != point {
		return
	}
	fmt.Fprintf(os.Stderr, "keygate-test-paused:%s\n", point)
	select {}
}
