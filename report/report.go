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
	// Inputs (an addition to the contract) identify what the scan read, so
	// that `keygate verify` can tell a report of this tree from a stale or
	// hand-written one; absent for staged and stdin scans.
	Inputs *Inputs `json:"inputs,omitempty"`
	// Suppressed (an addition to the contract) lists every finding a
	// suppression accepted, with its mechanism: none is hidden.
	Suppressed []Suppressed `json:"suppressed"`
}

// Suppressed is a finding a suppression accepted: the finding (masked, as
// every finding), the mechanism that suppressed it and why in words.
type Suppressed struct {
	Finding
	// Mechanism is inline, allow_paths, baseline, gitleaksignore, pack,
	// blocked_paths or accepted (a policy change accepted with
	// --accept-policy-changes).
	Mechanism     string `json:"mechanism"`
	Justification string `json:"justification"`
}

// justifications say in words what each suppression mechanism is.
var justifications = map[scan.Suppression]string{
	scan.SuppressedInline:         "an inline allow comment on the line (keygate:allow, gitleaks:allow or pragma: allowlist secret)",
	scan.SuppressedPath:           "a glob of allow_paths in .keygate.yaml",
	scan.SuppressedBaseline:       "an entry of the baseline file (keygate baseline)",
	scan.SuppressedGitleaksIgnore: "an entry of .gitleaksignore",
	scan.SuppressedPack:           "the accepted policy's rule packs no longer report it",
	scan.SuppressedBlocked:        "the accepted policy's blocked_paths no longer block it",
	scan.SuppressedAccepted:       "a policy change accepted with --accept-policy-changes",
}

// Justification says in words why a mechanism suppresses a finding.
func Justification(m string) string {
	if j, ok := justifications[scan.Suppression(m)]; ok {
		return j
	}
	return m
}

// Inputs identify what a scan read: kind "files" (a digest of the
// working-tree files' paths and contents, the PATH arguments if any) or
// "commits" (a digest of the commit ids, the range if any). Files the scan
// wrote into its own scopes (its report), and files skip: excuses that
// could not be opened, are excluded from the digest.
type Inputs struct {
	Kind     string   `json:"kind"`
	Digest   string   `json:"digest"`
	Count    int      `json:"count"`
	Paths    []string `json:"paths,omitempty"`
	Range    string   `json:"range,omitempty"`
	Excluded []string `json:"excluded,omitempty"`
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
	// Overrides (an addition to the contract) are the built-in rules the
	// packs replaced with override: true; policy marks the policy's own.
	Overrides []rules.Override `json:"overrides,omitempty"`
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
	// Detail says what a finding that is no secret is (source "policy": a
	// suppression the range adds); it never holds a value.
	Detail string `json:"detail,omitempty"`

	// ColumnUTF16 is Column in UTF-16 code units, for SARIF; not part of
	// latest.json (0 when unknown: SARIF then uses Column).
	ColumnUTF16 int `json:"-"`
	// Derived is scan.Finding's: the finding's line is in a decompressed
	// stream, an archive member or a binary's printable runs, where no
	// allow comment can be written. Text advice only; not part of the
	// contract.
	Derived bool `json:"-"`
}

// PolicyChange reports whether the finding is a suppression a range adds
// (rule suppression-added-*), not a secret.
func (f Finding) PolicyChange() bool { return f.Source == scan.SourcePolicy }

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
	// Configured (an addition to the contract): .keygate.yaml's skip:
	// names the path, and Reason is the one it gives. Any other skipped
	// path of a hygiene scan is also an error.
	Configured bool `json:"configured,omitempty"`
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
		r.RulePack = RulePack{Name: m.Pack.Name, Version: m.Pack.Version, SHA256: m.Pack.SHA256, Sources: m.Pack.Sources, Overrides: m.Pack.Overrides}
	}
	if in := res.Inputs; in != nil {
		r.Inputs = &Inputs{Kind: in.Kind, Digest: in.Digest, Count: in.Count, Paths: in.Paths, Range: in.Range, Excluded: in.Excluded}
	}
	for _, s := range res.Skipped {
		r.Skipped = append(r.Skipped, Skipped{Path: s.Path, Reason: s.Reason, Configured: s.Configured})
	}
	for _, f := range res.Findings {
		out := newFinding(f, res.Mode, m.Pack)
		if v := f.Verification; v != nil {
			if r.Summary.ByVerification == nil {
				r.Summary.ByVerification = map[string]int{}
			}
			r.Summary.ByVerification[string(v.Status)]++
		}
		r.Findings = append(r.Findings, out)
		r.Summary.ByRule[f.RuleID]++
		r.Summary.BySeverity[string(f.Severity)]++
	}
	r.Suppressed = []Suppressed{}
	for _, f := range res.Suppressed {
		r.Suppressed = append(r.Suppressed, Suppressed{Finding: newFinding(f, res.Mode, m.Pack),
			Mechanism: string(f.Suppressed), Justification: Justification(string(f.Suppressed))})
	}
	r.Status = status(len(r.Findings), len(r.Errors))
	return r
}

// newFinding is a scan finding as the report shows it.
func newFinding(f scan.Finding, mode scan.Mode, pack *rules.Pack) Finding {
	out := Finding{
		RuleID: f.RuleID, Severity: f.Severity, Path: f.Path, Line: f.Line, Column: f.Column,
		Commit: optional(f.Commit), Author: optional(f.Author), Date: optional(f.Date),
		SecretMasked: f.Masked, Fingerprint: f.Fingerprint, Source: f.Source, EnvName: optional(f.EnvName),
		Decoded: f.Decoded, Detail: f.Detail, ColumnUTF16: f.ColumnUTF16, Derived: f.Derived,
	}
	if mode == scan.ModeHistory && f.Source != scan.SourcePolicy {
		out.TimesAdded = f.TimesAdded
		out.PresentAtTip = &f.AtTip
	}
	help := ""
	if pack != nil {
		if rule := pack.Rule(f.RuleID); rule != nil {
			help = rule.Help
		}
	}
	if f.Source == scan.SourcePolicy {
		if rule := rules.Builtin(f.RuleID); rule != nil {
			help = rule.Help
		}
	}
	out.Help = fixText(out, mode, help)
	if v := f.Verification; v != nil {
		// A suppressed finding carries its verdict too: a baselined key
		// that is live is the one to stop first.
		out.Verification = v
		out.Help = liveHelp(*v, out.Help)
	}
	return out
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
