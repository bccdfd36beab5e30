// Package rotate is keygate's key rotation: the policy's five-step cutover
// (prepare, stage, cutover, validate, finalize) and the break-glass path,
// each step idempotent and resumable after a crash, in the shape of AWS
// Secrets Manager's create/set/test/finish steps. State lives in
// .keygate/rotation.json and holds no value; env/.env is rewritten
// atomically (mode 0600) with a backup kept until the rotation ends, never
// through a symbolic link. Every step runs under the rotation lock, whose
// file always names its owner (lock.go); temp files of interrupted writes
// are swept when the next command takes it.
package rotate

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/internal/rootpath"
)

// StepError is a rotation step that failed or was refused (exit 1), as
// opposed to bad input or configuration (exit 2).
type StepError struct{ Msg string }

func (e *StepError) Error() string { return e.Msg }

func stepErr(format string, args ...any) error { return &StepError{Msg: fmt.Sprintf(format, args...)} }

// Rotator runs rotation steps for one repository.
type Rotator struct {
	Root   string
	Config *config.Config
	// Out receives progress lines and (redacted) command output.
	Out io.Writer
	// Now and Sleep are the clock: nil is the real one. Tests inject a
	// fake that moves when validation waits, instead of sleeping.
	Now   func() time.Time
	Sleep func(time.Duration)
	// PollInterval is the first wait between health checks; it doubles up
	// to 10s.
	PollInterval time.Duration
	// Version is keygate's, for the hygiene report.
	Version string
	// Checkpoint, when set, is called at named points: "lock-taken" (the
	// lock just became visible), and in staging "after-backup",
	// "before-rename", "after-rename". Tests stop the process there, then
	// race or kill it. Release builds leave it nil.
	Checkpoint func(point string)
	// Name, when set, spells an input in the caller's terms (a CLI's flag)
	// in progress lines, status and incident notes; nil or "" keeps
	// rotate's.
	Name func(Input) string
	// Command, when set, spells a recommended step for a bot in the
	// caller's terms (a CLI's command line); nil or "" keeps rotate's.
	Command func(s Step, bot string) string

	// writeFile replaces a file atomically; tests inject failures (a full
	// disk, a read-only directory).
	writeFile func(path string, data []byte, perm os.FileMode) error
}

func (r *Rotator) write(path string, data []byte, perm os.FileMode) error {
	if r.writeFile != nil {
		return r.writeFile(path, data, perm)
	}
	return atomicfile.Write(path, data, perm)
}

func (r *Rotator) checkpoint(point string) {
	if r.Checkpoint != nil {
		r.Checkpoint(point)
	}
}

func (r *Rotator) sleep(d time.Duration) {
	if r.Sleep != nil {
		r.Sleep(d)
		return
	}
	time.Sleep(d)
}

func (r *Rotator) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Rotator) say(format string, args ...any) {
	if r.Out != nil {
		fmt.Fprintf(r.Out, "keygate: "+format+"\n", args...)
	}
}

func (r *Rotator) envPath() string { return rootpath.Resolve(r.Root, r.Config.EnvFile) }

// writableEnv returns the env file's path, refusing a symbolic link: the
// atomic rename that rewrites the file would replace the link with a
// regular file and leave the link's target holding the old keys. Pointing
// env_file at the target keeps one name for one file.
func (r *Rotator) writableEnv() (string, error) {
	p := r.envPath()
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return p, nil
	}
	target, _ := os.Readlink(p)
	return "", fmt.Errorf("%s is a symbolic link (to %s): keygate rotate rewrites the env file by an atomic rename, which would replace the link and leave its target with the old keys; set env_file in .keygate.yaml to the target's path, or make %s a regular file",
		r.Config.EnvFile, target, r.Config.EnvFile)
}

// DefaultTimeout is rotate.timeout of the configuration (validated there).
func (r *Rotator) DefaultTimeout() time.Duration {
	d, err := time.ParseDuration(r.Config.Rotate.Timeout)
	if err != nil || d <= 0 {
		return 5 * time.Minute
	}
	return d
}

// StageInput is what stage needs.
type StageInput struct {
	Bot, Owner string
	// Keys holds KEY=VALUE lines; KeysName names their source in errors.
	Keys     io.Reader
	KeysName string
	Kind     string // planned (default) or break-glass
	Reason   string
	// SkipAudit, when set, is why the new keys are not audited at the
	// exchange (an outage); it is recorded.
	SkipAudit string
}

// Stage checks the new keys and writes them into the env file atomically,
// keeping a backup of the previous file. Running it again with the same
// keys after a crash completes the step.
func (r *Rotator) Stage(in StageInput) error {
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	return r.stage(in)
}

func (r *Rotator) stage(in StageInput) error {
	bot, err := NormalizeBot(in.Bot)
	if err != nil {
		return err
	}
	if in.Owner == "" {
		return fmt.Errorf("%w: the rotation record names who did it", ErrNoOwner)
	}
	st, err := r.loadState()
	if err != nil {
		return err
	}
	resume := false
	if st.Active() {
		if st.Bot != bot || (st.Step != StepStaging && st.Step != StepStaged) {
			return stepErr("a rotation of %s is in progress (step %s since %s): finish it or roll it back first (keygate rotate status)",
				st.Bot, st.Step, st.History[len(st.History)-1].At.Format(time.RFC3339))
		}
		resume = true
	}
	keys, err := readKeys(in.Keys, in.KeysName)
	if err != nil {
		return err
	}
	envPath, err := r.writableEnv()
	if err != nil {
		return err
	}
	// The old file: the backup when resuming (the env file may already be
	// new), else the env file itself.
	basePath := envPath
	if resume {
		basePath = r.backupPath()
	}
	baseBytes, err := os.ReadFile(basePath)
	if err != nil {
		return fmt.Errorf("read %s: %w", basePath, err)
	}
	base, err := envfile.Parse(r.envPath(), baseBytes)
	if err != nil {
		return err
	}
	if err := checkKeys(bot, keys, base, r.Config.SecretEnv); err != nil {
		return err
	}
	if err := checkAccountMap(rootpath.Resolve(r.Root, r.Config.Rotate.AccountMap), r.Config.Rotate.AccountMap, bot); err != nil {
		return err
	}
	audit, err := r.auditNewKeys(bot, keys, in.SkipAudit)
	if err != nil {
		return err
	}
	var vars []Var
	for _, e := range keys.Entries {
		old, _ := base.Get(e.Key)
		vars = append(vars, Var{Name: e.Key, OldMasked: maskOrNone(old), NewMasked: detector.Mask(e.Value)})
		base.Set(e.Key, e.Value)
	}
	newBytes := base.Bytes()
	now := r.now()
	if resume {
		if st.NewSHA256 != sha(newBytes) {
			return stepErr("%s is staged with other keys than these: roll it back (keygate rotate rollback) to start over", bot)
		}
		cur, err := os.ReadFile(envPath)
		if err == nil && sha(cur) == st.NewSHA256 && st.Step == StepStaged {
			r.say("%s is already staged; next: keygate rotate cutover", bot)
			return nil
		}
	} else {
		kind := in.Kind
		if kind == "" {
			kind = "planned"
		}
		st = &State{ID: now.Format("20060102T150405Z") + "-" + bot, Kind: kind, Bot: bot, Owner: in.Owner, Reason: in.Reason,
			Vars: vars, EnvFile: r.Config.EnvFile, BackupSHA256: sha(baseBytes), NewSHA256: sha(newBytes), StartedAt: now}
		if err := r.write(r.backupPath(), baseBytes, 0o600); err != nil {
			return fmt.Errorf("back up the env file: %w", err)
		}
		r.checkpoint("after-backup")
		st.event(StepStaging, now, "backup written")
		if err := r.saveState(st); err != nil {
			// Without its state nothing refers to the backup: remove it
			// rather than leave a copy of the keys behind.
			os.Remove(r.backupPath())
			return fmt.Errorf("record the rotation state: %w", err)
		}
	}
	st.Audit = audit
	r.checkpoint("before-rename")
	if err := r.write(envPath, newBytes, 0o600); err != nil {
		return fmt.Errorf("rewrite the env file: %w", err)
	}
	r.checkpoint("after-rename")
	t := r.now()
	st.StagedAt = &t
	st.event(StepStaged, t, "")
	if err := r.saveState(st); err != nil {
		return err
	}
	r.say("staged new keys for %s in %s (backup kept until finalize or rollback)", bot, r.Config.EnvFile)
	for _, v := range st.Vars {
		r.say("  %s: %s -> %s", v.Name, v.OldMasked, v.NewMasked)
	}
	return nil
}

func maskOrNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return detector.Mask(v)
}

// active loads the state and checks the rotation is at one of steps.
func (r *Rotator) active(steps ...string) (*State, error) {
	st, err := r.loadState()
	if err != nil {
		return nil, err
	}
	if !st.Active() {
		return nil, stepErr("no rotation in progress: start one with keygate rotate stage (or run)")
	}
	for _, s := range steps {
		if st.Step == s {
			return st, nil
		}
	}
	return nil, stepErr("the rotation of %s is at step %s; this command needs step %v (keygate rotate status)", st.Bot, st.Step, steps)
}

// Cutover recreates exactly the snapshot service and the bot's service,
// with the command's output redacted; the interruption clock starts.
func (r *Rotator) Cutover() error {
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	st, err := r.active(StepStaged, StepCutover, StepFailed)
	if err != nil {
		return err
	}
	return r.cutover(st)
}

func (r *Rotator) cutover(st *State) error {
	t := r.now()
	if err := r.compose(st); err != nil {
		st.LastError = err.Error()
		st.event(StepFailed, r.now(), "cutover failed")
		_ = r.saveState(st)
		return stepErr("cutover failed: %v; roll back with: keygate rotate rollback", err)
	}
	st.CutoverAt = &t
	st.LastError = ""
	st.event(StepCutover, t, "services recreated")
	if err := r.saveState(st); err != nil {
		return err
	}
	r.say("recreated %v; next: keygate rotate validate", r.services(st.Bot))
	return nil
}

// Validate waits until both health reports are newer than the cutover and
// healthy for the bot, then reports the interruption against the SLO. On
// failure it prints the rollback command, or rolls back when asked.
func (r *Rotator) Validate(timeout time.Duration, autoRollback bool) error {
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	st, err := r.active(StepCutover, StepValidated)
	if err != nil {
		return err
	}
	return r.validate(st, timeout, autoRollback)
}

func (r *Rotator) validate(st *State, timeout time.Duration, autoRollback bool) error {
	if st.Step == StepValidated {
		r.say("%s is already validated (interruption %.0fs); next: revoke the old keys, then keygate rotate finalize", st.Bot, st.InterruptionS)
		return nil
	}
	why := r.waitHealthy(st, timeout)
	if why != "" {
		st.LastError = why
		st.event(StepFailed, r.now(), why)
		if err := r.saveState(st); err != nil {
			return err
		}
		if autoRollback {
			r.say("validation failed (%s); rolling back", why)
			if err := r.rollback(st, timeout); err != nil {
				return err
			}
			return stepErr("validation failed (%s); rolled back to the previous keys", why)
		}
		return stepErr("validation failed: %s\nroll back with: keygate rotate rollback", why)
	}
	t := r.now()
	st.ValidatedAt = &t
	st.InterruptionS = t.Sub(*st.CutoverAt).Seconds()
	slo, _ := time.ParseDuration(r.Config.Rotate.SLO)
	met := t.Sub(*st.CutoverAt) <= slo
	st.SLOMet = &met
	st.LastError = ""
	st.event(StepValidated, t, "")
	if err := r.saveState(st); err != nil {
		return err
	}
	verdict := "within"
	if !met {
		verdict = "OVER"
	}
	r.say("validated %s: interruption %s, %s the %s SLO; next: revoke the old keys at the exchange, then keygate rotate finalize (it checks that Bitget rejects the old key)",
		st.Bot, t.Sub(*st.CutoverAt).Round(time.Second), verdict, slo)
	return nil
}

// Rollback restores the previous env file byte for byte, and recreates and
// validates the services when they were already cut over.
func (r *Rotator) Rollback(timeout time.Duration) error {
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	st, err := r.active(StepStaging, StepStaged, StepCutover, StepFailed, StepValidated)
	if err != nil {
		return err
	}
	return r.rollback(st, timeout)
}

func (r *Rotator) rollback(st *State, timeout time.Duration) error {
	backup, err := os.ReadFile(r.backupPath())
	if err != nil {
		return fmt.Errorf("read the backup %s: %w", r.backupPath(), err)
	}
	if sha(backup) != st.BackupSHA256 {
		return stepErr("the backup %s does not match the one this rotation wrote: refusing to restore it", r.backupPath())
	}
	// A file that already equals the backup is left alone: the rollback
	// then works on a read-only env directory too.
	if cur, err := os.ReadFile(r.envPath()); err == nil && sha(cur) == st.BackupSHA256 {
		r.say("%s already holds the previous keys", r.Config.EnvFile)
	} else {
		envPath, err := r.writableEnv()
		if err != nil {
			return err
		}
		if err := r.write(envPath, backup, 0o600); err != nil {
			return fmt.Errorf("restore the env file: %w", err)
		}
		r.say("restored %s from the backup", r.Config.EnvFile)
	}
	if st.CutoverAt != nil {
		// Reports written while the services restart count: the clock
		// starts before the recreate, as for a cutover.
		recreated := r.now()
		if err := r.compose(st); err != nil {
			st.LastError = "rollback recreate failed: " + err.Error()
			_ = r.saveState(st)
			return stepErr("the env file is restored, but recreating the services failed: %v", err)
		}
		probe := *st
		probe.CutoverAt = &recreated
		if why := r.waitHealthy(&probe, timeout); why != "" {
			st.LastError = "after rollback: " + why
			_ = r.saveState(st)
			return stepErr("the env file is restored and the services recreated, but they are not healthy: %s", why)
		}
	}
	t := r.now()
	st.EndedAt = &t
	st.event(StepRolledBack, t, "")
	if err := r.saveState(st); err != nil {
		return err
	}
	os.Remove(r.backupPath())
	r.say("rolled back %s to its previous keys", st.Bot)
	return nil
}

// RunInput is what `rotate run` needs.
type RunInput struct {
	StageInput
	Timeout      time.Duration
	AutoRollback bool
}

// Run stages, cuts over and validates in one go; finalize waits for a
// person to revoke the old keys.
func (r *Rotator) Run(in RunInput) error {
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	if err := r.stage(in.StageInput); err != nil {
		return err
	}
	st, err := r.active(StepStaged)
	if err != nil {
		return err
	}
	if err := r.cutover(st); err != nil {
		return err
	}
	return r.validate(st, in.Timeout, in.AutoRollback)
}
