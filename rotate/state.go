package rotate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/keygate/keygate/internal/rootpath"
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

func (r *Rotator) stateDir() string { return rootpath.Resolve(r.Root, r.Config.Rotate.StateDir) }

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
	if err := r.ensureStateDir(); err != nil {
		return err
	}
	return r.write(r.statePath(), append(data, '\n'), 0o600)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
