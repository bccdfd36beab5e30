package keyaudit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// SchemaVersion is the JSON report's version.
const SchemaVersion = 1

// Status is a report's outcome.
type Status string

// Statuses: exit 0, 1 and 2 of `keygate keys audit`.
const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"  // a violation
	StatusError Status = "error" // no violation, but a key could not be checked
)

// Report is the audit of an env file's keys: promotion evidence. It holds
// no value.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          string    `json:"tool"`
	Version       string    `json:"version"`
	GeneratedAt   time.Time `json:"generated_at"`
	Exchange      string    `json:"exchange"`
	BaseURL       string    `json:"base_url"`
	// BaseURLs are the other exchanges' APIs asked, by name.
	BaseURLs map[string]string `json:"base_urls,omitempty"`
	EnvFile  string            `json:"env_file"`
	// ClockSkewMS is how far this host's clock is behind Bitget's, when
	// Bitget's time could be read.
	ClockSkewMS *int64    `json:"clock_skew_ms,omitempty"`
	Policy      Policy    `json:"policy"`
	Status      Status    `json:"status"`
	Bots        []Result  `json:"bots"`
	Skipped     []Skipped `json:"skipped,omitempty"`
	Warnings    []string  `json:"warnings,omitempty"`
}

// Audit checks every target and builds the report.
func (a *Auditor) Audit(ctx context.Context, targets []Target, skipped []Skipped, envFile, version string, now time.Time) *Report {
	rep := &Report{SchemaVersion: SchemaVersion, Tool: "keygate", Version: version, GeneratedAt: now.UTC(), Exchange: "bitget",
		BaseURL: a.Client.BaseURL(), EnvFile: envFile, Policy: a.Policy, Skipped: skipped, Bots: []Result{}}
	if len(targets) == 0 {
		// No Bitget key to audit: Bitget is not asked at all.
		rep.Status = status(rep.Bots)
		return rep
	}
	if skew, err := a.Clock(ctx); err == nil {
		ms := skew.Milliseconds()
		rep.ClockSkewMS = &ms
		if w := ClockWarning(skew); w != "" {
			rep.Warnings = append(rep.Warnings, w)
		}
	}
	for _, s := range skipped {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s is not audited: %s", s.Bot, s.Why))
	}
	for _, t := range targets {
		rep.Bots = append(rep.Bots, a.Check(ctx, t.Bot, t.Creds))
	}
	rep.Status = status(rep.Bots)
	return rep
}

// status: any violation fails; otherwise any unchecked key (or none at
// all) is an error.
func status(bots []Result) Status {
	st := StatusPass
	if len(bots) == 0 {
		st = StatusError
	}
	for _, b := range bots {
		if len(b.Violations) > 0 {
			return StatusFail
		}
		if b.Verdict == Unchecked {
			st = StatusError
		}
	}
	return st
}

// Violations counts the report's violations.
func (r *Report) Violations() int {
	n := 0
	for _, b := range r.Bots {
		n += len(b.Violations)
	}
	return n
}

// JSON writes the report as indented JSON.
func (r *Report) JSON(w io.Writer) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// Text writes the report for a person: one block per bot, then a summary.
func (r *Report) Text(w io.Writer) error {
	var b strings.Builder
	header := ""
	for _, res := range r.Bots {
		ex := res.Exchange
		if ex == "" {
			ex = "bitget"
		}
		if ex != header {
			header = ex
			title, base := titles[ex], r.BaseURL
			if ex != "bitget" {
				base = r.BaseURLs[ex]
			}
			fmt.Fprintf(&b, "%s keys in %s (audited at %s):\n", title, r.EnvFile, base)
		}
		fmt.Fprintf(&b, "  %s %s: %s\n", res.Bot, res.APIKey, res.Verdict)
		switch {
		case res.Verdict == Accepted:
			fmt.Fprintf(&b, "    permissions: %s\n", res.Scope())
		case res.Why != "":
			fmt.Fprintf(&b, "    why: %s\n", res.Why)
		}
		for _, v := range res.Violations {
			fmt.Fprintf(&b, "    VIOLATION %s: %s\n", v.Kind, v.Message)
		}
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  %s: not audited (%s)\n", s.Bot, s.Why)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", warn)
	}
	fmt.Fprintf(&b, "keys audit: %s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

var titles = map[string]string{"bitget": "Bitget", "binance": "Binance", "okx": "OKX", "bybit": "Bybit"}

// Summary is the one-line outcome.
func (r *Report) Summary() string {
	unchecked := 0
	for _, b := range r.Bots {
		if b.Verdict == Unchecked {
			unchecked++
		}
	}
	n := len(r.Bots)
	s := fmt.Sprintf("%s (%d %s audited, %d %s", r.Status, n, plural(n, "key", "keys"), r.Violations(), plural(r.Violations(), "violation", "violations"))
	if unchecked > 0 {
		s += fmt.Sprintf(", %d could not be checked", unchecked)
	}
	return s + ")"
}
