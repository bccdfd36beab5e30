package rotate

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Status writes where the rotation stands, checked against the files: after
// a crash at any point it tells the truth about the env file.
func (r *Rotator) Status(w io.Writer) error {
	st, err := r.loadState()
	if err != nil {
		return err
	}
	if pid, alive := lockHolder(r.lockPath()); pid > 0 {
		if alive {
			fmt.Fprintf(w, "a keygate rotate process (pid %d) is running now\n", pid)
		} else {
			fmt.Fprintf(w, "a keygate rotate process (pid %d) died holding the lock; the next command clears it\n", pid)
		}
	}
	for _, pat := range r.tempPatterns() {
		names, _ := filepath.Glob(pat)
		for _, name := range names {
			fmt.Fprintf(w, "leftover temp file %s from an interrupted write (it may hold keys): the next keygate rotate command removes it\n", r.rel(name))
		}
	}
	if st == nil {
		fmt.Fprintln(w, "no rotation has been started here")
		if _, err := os.Stat(r.backupPath()); err == nil {
			fmt.Fprintf(w, "a backup %s remains from a stage that stopped before recording its state: the env file was not changed; remove the backup or stage again\n", r.backupPath())
		}
		return nil
	}
	fmt.Fprintf(w, "rotation %s (%s) of %s by %s\n", st.ID, st.Kind, st.Bot, st.Owner)
	fmt.Fprintf(w, "step: %s\n", st.Step)
	for _, v := range st.Vars {
		fmt.Fprintf(w, "  %s: %s -> %s\n", v.Name, v.OldMasked, v.NewMasked)
	}
	fmt.Fprintf(w, "audit of the new key: %s\n", r.auditLine(st))
	for _, e := range st.History {
		note := ""
		if e.Note != "" {
			note = " (" + e.Note + ")"
		}
		fmt.Fprintf(w, "  %s  %s%s\n", e.At.Format(time.RFC3339), e.Step, note)
	}
	if st.LastError != "" {
		fmt.Fprintf(w, "last error: %s\n", st.LastError)
	}
	if !st.Active() {
		return nil
	}
	env, err := os.ReadFile(r.envPath())
	envState := "unreadable"
	switch {
	case err != nil:
	case sha(env) == st.NewSHA256:
		envState = "holds the NEW keys"
	case sha(env) == st.BackupSHA256:
		envState = "holds the OLD keys (as before the rotation)"
	default:
		envState = "was changed outside keygate since staging"
	}
	fmt.Fprintf(w, "%s %s\n", st.EnvFile, envState)
	if _, err := os.Stat(r.backupPath()); err == nil {
		fmt.Fprintf(w, "backup: %s (kept until finalize or rollback)\n", r.backupPath())
	} else {
		fmt.Fprintf(w, "backup: MISSING (%s): rollback is not possible\n", r.backupPath())
	}
	fmt.Fprintf(w, "next: %s\n", next(st, strings.HasPrefix(envState, "holds the NEW")))
	return nil
}

func next(st *State, envNew bool) string {
	switch st.Step {
	case StepStaging:
		if envNew {
			return "the env file was written but the step was not recorded: run the same `keygate rotate stage` again to confirm it, or `keygate rotate rollback`"
		}
		return "staging stopped before the env file was rewritten: run `keygate rotate stage` again, or `keygate rotate rollback` to drop it"
	case StepStaged:
		return "keygate rotate cutover"
	case StepCutover:
		return "keygate rotate validate"
	case StepFailed:
		return "keygate rotate rollback (or fix the services and run keygate rotate cutover again)"
	case StepValidated:
		return "revoke the old keys at the exchange, then keygate rotate finalize (it checks that Bitget rejects the old key)"
	}
	return "nothing"
}
