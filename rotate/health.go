package rotate

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/keygate/keygate/internal/rootpath"
)

type snapshotReport struct {
	GeneratedAt string `json:"generated_at"`
	Probes      []struct {
		Bot    string `json:"bot"`
		Status string `json:"status"`
	} `json:"probes"`
}

type reconciliationReport struct {
	GeneratedAt string `json:"generated_at"`
	Status      string `json:"status"`
	Drift       []struct {
		Bot      string `json:"bot"`
		Severity string `json:"severity"`
	} `json:"drift"`
}

// fresh parses generated_at and checks it is not older than since (to the
// second: reports carry second precision).
func fresh(generatedAt string, since time.Time) (bool, string) {
	t, err := time.Parse(time.RFC3339, generatedAt)
	if err != nil {
		return false, fmt.Sprintf("generated_at %q is not an RFC 3339 time", generatedAt)
	}
	if t.Before(since.Truncate(time.Second)) {
		return false, "older than the cutover"
	}
	return true, ""
}

// readReport loads a health report into v and checks it is newer than
// since; it returns "" when it is, else why not.
func (r *Rotator) readReport(rel string, since time.Time, v any, generatedAt *string) string {
	data, err := os.ReadFile(rootpath.Resolve(r.Root, rel))
	if err != nil {
		return "no report yet (" + rel + ")"
	}
	if err := json.Unmarshal(data, v); err != nil {
		return rel + " is not valid JSON"
	}
	if ok, why := fresh(*generatedAt, since); !ok {
		return rel + ": " + why
	}
	return ""
}

// health checks both reports once; it returns "" when healthy, else why not.
func (r *Rotator) health(st *State) string {
	var snap snapshotReport
	snapPath := r.Config.Rotate.SnapshotReport
	if why := r.readReport(snapPath, *st.CutoverAt, &snap, &snap.GeneratedAt); why != "" {
		return why
	}
	probe := ""
	for _, p := range snap.Probes {
		if strings.EqualFold(p.Bot, st.Bot) {
			probe = p.Status
		}
	}
	switch probe {
	case "ok":
	case "":
		return fmt.Sprintf("%s has no probe for %s", snapPath, st.Bot)
	default:
		return fmt.Sprintf("the snapshot probe of %s is %q, not ok", st.Bot, probe)
	}
	var rec reconciliationReport
	if why := r.readReport(r.Config.Rotate.ReconcileReport, *st.CutoverAt, &rec, &rec.GeneratedAt); why != "" {
		return why
	}
	if rec.Status == "critical" {
		return "reconciliation status is critical"
	}
	for _, d := range rec.Drift {
		if d.Severity == "critical" {
			return fmt.Sprintf("critical reconciliation drift for %s", d.Bot)
		}
	}
	return ""
}

// waitHealthy polls with back-off until healthy or timeout; it returns ""
// when healthy, else the last reason.
func (r *Rotator) waitHealthy(st *State, timeout time.Duration) string {
	interval := r.PollInterval
	if interval <= 0 {
		interval = time.Second
	}
	deadline := r.now().Add(timeout)
	for {
		why := r.health(st)
		if why == "" {
			return ""
		}
		if r.now().Add(interval).After(deadline) {
			return fmt.Sprintf("%s (after waiting %s)", why, timeout)
		}
		r.say("waiting: %s", why)
		r.sleep(interval)
		interval = min(interval*2, 10*time.Second)
	}
}
