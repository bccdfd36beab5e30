package rotate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/keygate/keygate/internal/rootpath"
)

// KindDrill is the Record kind of a rehearsal: the cutover and validation
// of a rotation with the keys unchanged.
const KindDrill = "drill"

// DrillInput is what a drill needs.
type DrillInput struct {
	Bot, Owner string // Owner defaults to rotate.owner of the configuration
	Timeout    time.Duration
}

// Drill rehearses a rotation of bot with its keys unchanged: it recreates
// exactly the services a rotation would, waits for fresh healthy reports,
// measures the interruption against the SLO and appends a drill record.
// env/.env is only read. It takes the rotation lock and refuses while a
// rotation is in progress; a failed validation is a StepError that names
// the evidence, and records nothing.
func (r *Rotator) Drill(in DrillInput) error {
	bot, err := NormalizeBot(in.Bot)
	if err != nil {
		return err
	}
	owner := in.Owner
	if owner == "" {
		owner = r.Config.Rotate.Owner
	}
	if owner == "" {
		return fmt.Errorf("%w (or rotate.owner in .keygate.yaml): the drill record names who ran it", ErrNoOwner)
	}
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	st, err := r.loadState()
	if err != nil {
		return err
	}
	if st.Active() {
		return stepErr("a rotation of %s is in progress (step %s): a drill would recreate services in the middle of it; finish it or roll it back first (keygate rotate status)",
			st.Bot, st.Step)
	}
	if err := checkAccountMap(rootpath.Resolve(r.Root, r.Config.Rotate.AccountMap), r.Config.Rotate.AccountMap, bot); err != nil {
		return err
	}
	before, err := os.ReadFile(r.envPath())
	if err != nil {
		return fmt.Errorf("read %s: %w", r.Config.EnvFile, err)
	}
	red := r.redactor()
	if red == nil {
		return errors.New("cannot build the redactor for the drill record")
	}
	owner = red.String(owner)

	started := r.now()
	probe := &State{Bot: bot, CutoverAt: &started}
	evidence := []string{r.Config.Rotate.SnapshotReport, r.Config.Rotate.ReconcileReport}
	if err := r.compose(probe); err != nil {
		return stepErr("drill of %s: recreating the services failed: %v (keys unchanged; nothing recorded)", bot, err)
	}
	why := r.waitHealthy(probe, in.Timeout)
	if after, err := os.ReadFile(r.envPath()); err != nil || !bytes.Equal(after, before) {
		return stepErr("drill of %s: %s changed during the drill, by something other than keygate: check it before trusting this drill (nothing recorded)",
			bot, r.Config.EnvFile)
	}
	if why != "" {
		return stepErr("drill of %s: validation failed: %s\nevidence: %s, %s\nthe services run with the unchanged keys; nothing was recorded",
			bot, why, evidence[0], evidence[1])
	}
	done := r.now()
	slo, _ := time.ParseDuration(r.Config.Rotate.SLO)
	interruption := done.Sub(started)
	rec := Record{ID: started.Format("20060102T150405Z") + "-" + bot + "-" + KindDrill, Kind: KindDrill, FinalizedAt: done, Owner: owner,
		Bots: []string{bot}, Vars: []Var{}, Services: r.services(bot), StartedAt: started, CutoverAt: started, ValidatedAt: done,
		InterruptionS: interruption.Seconds(), SLOSeconds: slo.Seconds(), SLOMet: interruption <= slo, TotalS: interruption.Seconds(),
		Evidence: evidence}
	if err := appendLine(rootpath.Resolve(r.Root, r.Config.Rotate.RecordFile), rec); err != nil {
		return fmt.Errorf("append the drill record: %w", err)
	}
	verdict := "within"
	if !rec.SLOMet {
		verdict = "OVER"
	}
	r.say("drill of %s: recreated %v with the keys unchanged; healthy after %s, %s the %s SLO; recorded in %s",
		bot, rec.Services, interruption.Round(time.Second), verdict, slo, r.Config.Rotate.RecordFile)
	return nil
}
