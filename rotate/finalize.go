package rotate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/scan"
)

// Record is one line of reports/security/rotations.jsonl: a finalized
// rotation (kind planned or break-glass) or a drill. It holds names and
// masked suffixes, never a value.
type Record struct {
	ID            string    `json:"id"`
	Kind          string    `json:"kind"`
	FinalizedAt   time.Time `json:"finalized_at"`
	Owner         string    `json:"owner"`
	Bots          []string  `json:"bots"`
	Vars          []Var     `json:"vars"`
	Services      []string  `json:"services,omitempty"` // recreated (drills)
	StartedAt     time.Time `json:"started_at"`
	CutoverAt     time.Time `json:"cutover_at"`
	ValidatedAt   time.Time `json:"validated_at"`
	InterruptionS float64   `json:"interruption_seconds"`
	SLOSeconds    float64   `json:"slo_seconds"`
	SLOMet        bool      `json:"slo_met"`
	TotalS        float64   `json:"total_seconds"`
	Evidence      []string  `json:"evidence"`
	// Audit is Bitget's word on the new key (or why it was skipped).
	Audit *KeyAudit `json:"audit,omitempty"`
	// Revocation is verified (Bitget rejects the old key), attested (the
	// operator's word, Bitget unreachable) or none (no old key).
	Revocation       string `json:"revocation"`
	RevocationDetail string `json:"revocation_detail,omitempty"`
}

// Finalize proves at Bitget that the old key is revoked (oldKeysRevoked
// attests it when Bitget cannot be asked), records the rotation, deletes
// the backup and runs the hygiene scan, which must pass.
func (r *Rotator) Finalize(oldKeysRevoked bool) error {
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()
	st, err := r.active(StepValidated)
	if err != nil {
		return err
	}
	revocation, detail, err := r.verifyRevocation(st, oldKeysRevoked)
	if err != nil {
		return err
	}
	t := r.now()
	slo, _ := time.ParseDuration(r.Config.Rotate.SLO)
	rec := Record{ID: st.ID, Kind: st.Kind, FinalizedAt: t, Owner: st.Owner, Bots: []string{st.Bot}, Vars: st.Vars,
		StartedAt: st.StartedAt, CutoverAt: *st.CutoverAt, ValidatedAt: *st.ValidatedAt, InterruptionS: st.InterruptionS,
		SLOSeconds: slo.Seconds(), SLOMet: st.SLOMet != nil && *st.SLOMet, TotalS: t.Sub(st.StartedAt).Seconds(),
		Evidence: []string{r.Config.Rotate.SnapshotReport, r.Config.Rotate.ReconcileReport, r.Config.Report},
		Audit:    st.Audit, Revocation: revocation, RevocationDetail: detail}
	if err := appendLine(rootpath.Resolve(r.Root, r.Config.Rotate.RecordFile), rec); err != nil {
		return fmt.Errorf("append the rotation record: %w", err)
	}
	if err := os.Remove(r.backupPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the backup: %w", err)
	}
	st.EndedAt = &t
	st.event(StepFinalized, t, "old keys revoked: "+revocation)
	if err := r.saveState(st); err != nil {
		return err
	}
	r.say("finalized the rotation of %s; record appended to %s", st.Bot, r.Config.Rotate.RecordFile)
	return r.hygiene()
}

func appendLine(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// hygiene runs the policy's check (a scan with the logs) and writes the
// report; a rotation is only done when it passes.
func (r *Rotator) hygiene() error {
	req := scan.Request{Root: r.Root, Config: r.Config, IncludeLogs: true}
	setup, err := engine.Load(engine.Options{Root: r.Root, Config: r.Config})
	if err != nil {
		return err
	}
	res, err := scan.Run(context.Background(), req, setup)
	if err != nil {
		return err
	}
	rep := report.New(res, report.Meta{Version: r.Version, Pack: setup.Pack, Scopes: req.Scopes(), IncludeLogs: true, Now: time.Now()})
	if err := rep.WriteFile(rootpath.Resolve(r.Root, r.Config.Report)); err != nil {
		return err
	}
	r.say("hygiene scan: %s", report.Summarize(rep))
	if rep.Status != report.StatusPass {
		return stepErr("the hygiene scan does not pass (%s): fix the findings (%s)", rep.Status, r.stepText(StepHygieneScan, ""))
	}
	return nil
}
