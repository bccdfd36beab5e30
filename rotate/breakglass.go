package rotate

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/redact"
)

// BreakGlassInput is what break-glass needs.
type BreakGlassInput struct {
	RunInput
	Reason string
	// oldScope is the compromised key's permissions, for the note.
	oldScope string
}

// BreakGlass is the policy's emergency path when a key may be compromised:
// pause the bot (soft_pause, then kill_switch if the pause is not
// confirmed) before anything else, then stage the emergency keys, cut over,
// validate, and append an incident note that holds no value.
func (r *Rotator) BreakGlass(in BreakGlassInput) error {
	bot, err := NormalizeBot(in.Bot)
	if err != nil {
		return err
	}
	if in.Reason == "" || in.Owner == "" {
		return fmt.Errorf("%w and %w: the incident note names who and why", ErrNoOwner, ErrNoReason)
	}
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	started := r.now()

	pause := "soft_pause"
	paused := r.command(r.expand(r.Config.Rotate.SoftPauseArgv, bot)) == nil
	if !paused {
		r.say("soft_pause of %s was not confirmed: running kill_switch", bot)
		pause = "kill_switch"
		paused = r.command(r.expand(r.Config.Rotate.KillSwitchArgv, bot)) == nil
	}
	if !paused {
		r.say("WARNING: neither soft_pause nor kill_switch confirmed that %s stopped; rotating anyway, since the new keys cut off the old ones", bot)
	}

	in.oldScope = r.oldKeyScope(bot, in.SkipAudit)
	r.say("the key being replaced: %s", in.oldScope)
	in.Kind = "break-glass"
	// The reason is free text: it may quote the very key being replaced.
	// It is stored (state, note) only redacted.
	red := r.redactor()
	if red == nil {
		return fmt.Errorf("cannot build the redactor for the reason")
	}
	in.Reason = red.String(in.Reason)
	in.Owner = red.String(in.Owner)
	in.StageInput.Reason = in.Reason
	var rotErr error
	st := (*State)(nil)
	if rotErr = r.stage(in.StageInput); rotErr == nil {
		if st, rotErr = r.active(StepStaged); rotErr == nil {
			st.PauseConfirmed = &paused
			if rotErr = r.cutover(st); rotErr == nil {
				rotErr = r.validate(st, in.Timeout, in.AutoRollback)
			}
		}
	}
	if st == nil {
		st, _ = r.loadState()
	}
	notePath, err := r.incidentNote(bot, in, started, pause, paused, st, rotErr)
	if err != nil {
		if rotErr != nil {
			return fmt.Errorf("%v; and the incident note could not be written: %w", rotErr, err)
		}
		return err
	}
	r.say("incident note: %s", notePath)
	return rotErr
}

// incidentNote writes docs/incidents/<time>-<bot>-break-glass.md. Its text
// is redacted and then scanned before it is written: a note that would
// still hold a credential is refused.
func (r *Rotator) incidentNote(bot string, in BreakGlassInput, started time.Time, pause string, paused bool, st *State, rotErr error) (string, error) {
	red := r.redactor()
	if red == nil {
		return "", fmt.Errorf("cannot build the redactor for the incident note")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Break-glass key rotation: %s\n\n", bot)
	fmt.Fprintf(&b, "- Timestamp (UTC): %s\n", started.Format(time.RFC3339))
	fmt.Fprintf(&b, "- Impacted bots: %s\n", bot)
	fmt.Fprintf(&b, "- Owner: %s\n", red.String(in.Owner))
	fmt.Fprintf(&b, "- Reason: %s\n", red.String(in.Reason))
	fmt.Fprintf(&b, "- Safe mode: %s (confirmed: %t)\n", pause, paused)
	b.WriteString("- Key scope revoked and rotated:\n")
	if st != nil {
		for _, v := range st.Vars {
			fmt.Fprintf(&b, "  - %s: %s (revoke at the exchange) -> %s\n", v.Name, v.OldMasked, v.NewMasked)
		}
	}
	b.WriteString(r.scopeLines(in.oldScope, st))
	status := "validated"
	switch {
	case rotErr != nil:
		status = "NOT completed: " + red.String(rotErr.Error())
	case st != nil && st.SLOMet != nil:
		status = fmt.Sprintf("validated; interruption %.0fs (SLO met: %t)", st.InterruptionS, *st.SLOMet)
	}
	fmt.Fprintf(&b, "- Rotation: %s\n", status)
	b.WriteString("- Validation evidence:\n")
	for _, p := range []string{r.Config.Rotate.SnapshotReport, r.Config.Rotate.ReconcileReport, filepath.Join(r.Config.Rotate.StateDir, "rotation.json")} {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	b.WriteString("\nNext: revoke the compromised keys at the exchange, then `keygate rotate finalize` (it checks that Bitget rejects them).\n")
	text := b.String()
	if err := checkClean(red, text); err != nil {
		return "", err
	}
	dir := rootpath.Resolve(r.Root, r.Config.Rotate.IncidentDir)
	path := filepath.Join(dir, started.Format("20060102T150405Z")+"-"+strings.ToLower(bot)+"-break-glass.md")
	return path, atomicfile.Write(path, []byte(text), 0o644)
}

// checkClean refuses text that the redactor would change: then it still
// holds an active value or a pattern secret.
func checkClean(red *redact.Redactor, text string) error {
	if red.String(text) != text {
		return fmt.Errorf("the incident note would hold a credential: not written")
	}
	return nil
}
