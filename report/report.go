// Package report builds the reports/security/latest.json contract
// (schema_version 1, DESIGN.md) and keygate's human text output.
package report

import (
	"encoding/json"
	"time"

	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/verifier"
)

// SchemaVersion of latest.json. Additive fields keep the version; a change
// to an existing field's meaning bumps it.
const SchemaVersion = 1

// Status is a report's verdict: pass (no finding, nothing unread), fail
// (findings) or error (the scan was incomplete, whatever it found).
type Status string

// Statuses.
const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"
	StatusError Status = "error"
)

// Report is latest.json.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Status        Status    `json:"status"`
	GeneratedAt   string    `json:"generated_at"`
	Tool          Tool      `json:"tool"`
	RulePack      RulePack  `json:"rule_pack"`
	Mode          string    `json:"mode"`
	Scopes        []string  `json:"scopes"`
	IncludeLogs   bool      `json:"include_logs"`
	DurationMS    int64     `json:"duration_ms"`
	Summary       Summary   `json:"summary"`
	Findings      []Finding `json:"findings"`
	Errors        []string  `json:"errors"`
	// Skipped and Warnings are additions to the contract: what was not
	// scanned and why, and what the operator should know.
	Skipped  []Skipped `json:"skipped"`
	Warnings []string  `json:"warnings"`
}

// Tool names the producer.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// RulePack identifies the rules that ran.
type RulePack struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	SHA256  string   `json:"sha256"`
	Sources []string `json:"sources,omitempty"`
}

// Summary counts.
type Summary struct {
	FilesScanned int `json:"files_scanned"`
	// CommitsScanned is set by history scans (an addition to the contract).
	CommitsScanned int            `json:"commits_scanned,omitempty"`
	BytesScanned   int64          `json:"bytes_scanned"`
	FilesSkipped   int            `json:"files_skipped"`
	Findings       int            `json:"findings"`
	Suppressed     int            `json:"suppressed"`
	ByRule         map[string]int `json:"by_rule"`
	BySeverity     map[string]int `json:"by_severity"`
	// ByVerification counts verified findings by status (scan --verify).
	ByVerification map[string]int `json:"by_verification,omitempty"`
}

// Finding is one reported finding; it holds the masked value only.
type Finding struct {
	RuleID       string         `json:"rule_id"`
	Severity     rules.Severity `json:"severity"`
	Path         string         `json:"path"`
	Line         int            `json:"line"`
	Column       int            `json:"column"`
	Commit       *string        `json:"commit"`
	Author       *string        `json:"author,omitempty"`
	Date         *string        `json:"date,omitempty"`
	SecretMasked string         `json:"secret_masked"`
	Fingerprint  string         `json:"fingerprint"`
	Source       string         `json:"source"`
	EnvName      *string        `json:"env_name"`
	Help         string         `json:"help,omitempty"`
	// History scans (additions to the contract): how many commits added
	// this secret at this path (more than one when it was removed and
	// added again, or added on two branches), and whether a ref tip (a
	// range's head) still holds it: those are the ones to fix first.
	TimesAdded   int   `json:"times_added,omitempty"`
	PresentAtTip *bool `json:"present_at_tip,omitempty"`
	// Decoded names the encodings the secret was found under, outermost
	// first ("base64", "percent+base64"); absent for plain text.
	Decoded string `json:"decoded,omitempty"`
	// Verification (scan --verify, an addition to the contract) is what the
	// credential's provider said: live, revoked or unknown, why, and the
	// permissions it listed. Absent when not verified.
	Verification *verifier.Verification `json:"verification,omitempty"`
}

// BlockedPath reports whether the finding is a committed blocked file,
// rather than a secret in a file's content or in its name (both of which
// have a masked value; a finding of source "path" is about the path).
func (f Finding) BlockedPath() bool {
	return f.Source == scan.SourcePath && f.RuleID == scan.BlockedPathRuleID
}

// InPathName reports whether the secret is in the file's name, not in
// its content.
func (f Finding) InPathName() bool {
	return f.Source == scan.SourcePath && !f.BlockedPath()
}

// Skipped is a path not scanned.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Meta is what the report says about the run beyond the scan result.
type Meta struct {
	Version     string
	Pack        *rules.Pack
	Scopes      []string
	IncludeLogs bool
	Now         time.Time
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// New builds the report of a scan result.
func New(res *scan.Result, m Meta) *Report {
	r := &Report{
		SchemaVersion: SchemaVersion,
		GeneratedAt:   m.Now.UTC().Format(time.RFC3339),
		Tool:          Tool{Name: "keygate", Version: m.Version},
		Mode:          string(res.Mode),
		Scopes:        append([]string{}, m.Scopes...),
		IncludeLogs:   m.IncludeLogs,
		DurationMS:    res.Duration.Milliseconds(),
		Findings:      []Finding{},
		Errors:        append([]string{}, res.Errors...),
		Skipped:       []Skipped{},
		Warnings:      append([]string{}, res.Warnings...),
		Summary: Summary{
			FilesScanned:   res.FilesScanned,
			CommitsScanned: res.Commits,
			BytesScanned:   res.BytesScanned,
			FilesSkipped:   len(res.Skipped),
			Findings:       len(res.Findings),
			Suppressed:     len(res.Suppressed),
			ByRule:         map[string]int{},
			BySeverity:     map[string]int{},
		},
	}
	if m.Pack != nil {
		r.RulePack = RulePack{Name: m.Pack.Name, Version: m.Pack.Version, SHA256: m.Pack.SHA256, Sources: m.Pack.Sources}
	}
	for _, s := range res.Skipped {
		r.Skipped = append(r.Skipped, Skipped{Path: s.Path, Reason: s.Reason})
	}
	for _, f := range res.Findings {
		out := Finding{
			RuleID: f.RuleID, Severity: f.Severity, Path: f.Path, Line: f.Line, Column: f.Column,
			Commit: optional(f.Commit), Author: optional(f.Author), Date: optional(f.Date),
			SecretMasked: f.Masked, Fingerprint: f.Fingerprint, Source: f.Source, EnvName: optional(f.EnvName),
			Decoded: f.Decoded,
		}
		if res.Mode == scan.ModeHistory {
			out.TimesAdded = f.TimesAdded
			out.PresentAtTip = &f.AtTip
		}
		help := ""
		if m.Pack != nil {
			if rule := m.Pack.Rule(f.RuleID); rule != nil {
				help = rule.Help
			}
		}
		out.Help = fixText(out, res.Mode, help)
		if v := f.Verification; v != nil {
			out.Verification = v
			out.Help = liveHelp(*v, out.Help)
			if r.Summary.ByVerification == nil {
				r.Summary.ByVerification = map[string]int{}
			}
			r.Summary.ByVerification[string(v.Status)]++
		}
		r.Findings = append(r.Findings, out)
		r.Summary.ByRule[f.RuleID]++
		r.Summary.BySeverity[string(f.Severity)]++
	}
	r.Status = status(len(r.Findings), len(r.Errors))
	return r
}

func status(findings, errors int) Status {
	switch {
	case errors > 0:
		return StatusError
	case findings > 0:
		return StatusFail
	}
	return StatusPass
}

// ExitCode is the process exit code for the report's status.
func (r *Report) ExitCode() int {
	switch r.Status {
	case StatusPass:
		return 0
	case StatusFail:
		return 1
	}
	return 2
}

// JSON is the report's encoding, indented, with a trailing newline.
func (r *Report) JSON() ([]byte, error) {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(EscapeJSON(data), '\n'), nil
}

// WriteFile writes the report atomically (temp file, fsync, rename), so a
// reader never sees a partial report.
func (r *Report) WriteFile(path string) error {
	data, err := r.JSON()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o644)
}
