// Package sarif writes keygate's findings as SARIF 2.1.0 for code scanning
// (GitHub and others). It is built from the report, which holds masked
// values only, so no raw secret can reach a SARIF file.
package sarif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/scan"
)

// InformationURI is the tool's home page in SARIF.
const InformationURI = "https://github.com/keygate/keygate"

// MaxResults is GitHub's limit of results per run; more are dropped with a
// note in the run's properties.
const MaxResults = 25000

// securitySeverity maps severities to GitHub's security-severity scores.
var securitySeverity = map[rules.Severity]string{rules.SeverityCritical: "9.5", rules.SeverityHigh: "8.0", rules.SeverityMedium: "5.5", rules.SeverityLow: "3.0"}

// level maps severities to SARIF levels.
func level(severity rules.Severity) string {
	switch severity {
	case rules.SeverityCritical, rules.SeverityHigh:
		return "error"
	case rules.SeverityMedium:
		return "warning"
	}
	return "note"
}

// ruleInfo is what SARIF says about a rule.
type ruleInfo struct {
	id, description, help string
	severity              rules.Severity
	keywords              []string
}

// allRules lists the pack's rules and keygate's built-in ones.
func allRules(pack *rules.Pack) []ruleInfo {
	var out []ruleInfo
	if pack != nil {
		for _, r := range pack.Rules {
			out = append(out, ruleInfo{id: r.ID, description: r.Description, severity: r.Severity, help: r.Help, keywords: r.Keywords})
		}
	}
	for _, r := range rules.Builtins() {
		out = append(out, ruleInfo{id: r.ID, description: r.Description, severity: r.Severity, help: r.Help})
	}
	return out
}

// pascal turns a kebab-case id into a SARIF rule name.
func pascal(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// escapeURI percent-escapes each segment of a relative slash path.
func escapeURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func str(s string) *string { return &s }
func num(n int) *int       { return &n }

// Build converts a report into a SARIF log with one run.
func Build(rep *report.Report, pack *rules.Pack) (*gosarif.Report, error) {
	log, err := gosarif.New(gosarif.Version210, true)
	if err != nil {
		return nil, err
	}
	driver := &gosarif.ToolComponent{
		Name:            "keygate",
		Version:         str(rep.Tool.Version),
		SemanticVersion: str(rep.Tool.Version),
		InformationURI:  str(InformationURI),
		Rules:           []*gosarif.ReportingDescriptor{},
	}
	index := map[string]uint{}
	for i, r := range allRules(pack) {
		index[r.id] = uint(i)
		markdown := fmt.Sprintf("**%s** (severity %s)\n\n%s", r.description, r.severity, r.help)
		if len(r.keywords) > 0 {
			markdown += "\n\nKeywords: `" + strings.Join(r.keywords, "`, `") + "`"
		}
		var name *string
		// SARIF1001: a name equal to the id (ignoring case) must be omitted.
		if n := pascal(r.id); !strings.EqualFold(n, r.id) {
			name = str(n)
		}
		driver.Rules = append(driver.Rules, &gosarif.ReportingDescriptor{
			ID:                   r.id,
			Name:                 name,
			ShortDescription:     &gosarif.MultiformatMessageString{Text: str(r.description)},
			FullDescription:      &gosarif.MultiformatMessageString{Text: str(r.description + ". Severity: " + string(r.severity) + ".")},
			Help:                 &gosarif.MultiformatMessageString{Text: str(r.help), Markdown: str(markdown)},
			HelpURI:              str(InformationURI + "#writing-rules"),
			DefaultConfiguration: &gosarif.ReportingConfiguration{Level: level(r.severity)},
			Properties: gosarif.Properties{
				"security-severity": securitySeverity[r.severity],
				"tags":              []string{"security", "secret", "credentials", "external/cwe/cwe-798"},
				"precision":         "high",
				"problem.severity":  level(r.severity),
			},
		})
	}
	run := &gosarif.Run{
		Tool:    gosarif.Tool{Driver: driver},
		Results: []*gosarif.Result{},
		// Columns in UTF-16 code units, as GitHub code scanning reads
		// them: its SARIF docs do not list columnKind among the run
		// properties it uses, its own CodeQL writes utf16CodeUnits, and
		// SARIF readers that honour the property then agree with it.
		// latest.json and the text output count code points instead.
		ColumnKind: "utf16CodeUnits",
		OriginalUriBaseIDs: map[string]*gosarif.ArtifactLocation{
			"%SRCROOT%": {Description: &gosarif.Message{Text: str("The repository root keygate scanned.")}},
		},
	}
	ok := rep.Status != report.StatusError
	inv := &gosarif.Invocation{ExecutionSuccessful: &ok}
	for _, e := range rep.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, &gosarif.Notification{
			Level: "error", Message: &gosarif.Message{Text: str(e)}})
	}
	// Every file not read is a notification: code scanning shows them
	// with the run, so a clean run cannot hide what it did not look at.
	for _, sk := range rep.Skipped {
		level := "warning"
		if sk.Configured {
			level = "note"
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, &gosarif.Notification{
			Level:   level,
			Message: &gosarif.Message{Text: str("not read: " + sk.Reason)},
			Locations: []*gosarif.Location{{PhysicalLocation: &gosarif.PhysicalLocation{
				ArtifactLocation: &gosarif.ArtifactLocation{URI: str(escapeURI(sk.Path)), URIBaseId: str("%SRCROOT%")}}}},
		})
	}
	for _, ov := range rep.RulePack.Overrides {
		if ov.Policy {
			inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, &gosarif.Notification{
				Level: "warning", Message: &gosarif.Message{Text: str(fmt.Sprintf("%s:%d overrides the built-in policy rule %s (override: true)", ov.File, ov.Line, ov.RuleID))}})
		}
	}
	run.Invocations = []*gosarif.Invocation{inv}
	props := gosarif.Properties{"keygate-status": rep.Status, "keygate-mode": rep.Mode}
	findings := rep.Findings
	if len(findings) > MaxResults {
		props["truncated"] = true
		props["truncation-note"] = fmt.Sprintf("%d findings; the first %d are listed (GitHub's limit per run). The full list is in latest.json.", len(findings), MaxResults)
		findings = findings[:MaxResults]
	}
	if len(rep.RulePack.Overrides) > 0 {
		props["keygate-overrides"] = rep.RulePack.Overrides
	}
	run.Properties = props
	for _, f := range findings {
		run.Results = append(run.Results, result(f, index))
	}
	// Suppressed findings are results too, with SARIF suppressions: code
	// scanning shows them as suppressed, never as absent.
	for i, sup := range rep.Suppressed {
		if len(run.Results) == MaxResults {
			props["truncated"] = true
			props["truncation-note"] = fmt.Sprintf("%d suppressed findings were not listed (GitHub's limit per run). The full list is in latest.json.", len(rep.Suppressed)-i)
			break
		}
		res := result(sup.Finding, index)
		kind := "external"
		if sup.Mechanism == string(scan.SuppressedInline) {
			kind = "inSource"
		}
		// go-sarif writes every field of a suppression, so each is set:
		// null is not valid SARIF.
		res.Suppressions = []*gosarif.Suppression{{Kind: kind, Status: str("accepted"), Location: res.Locations[0],
			Guid: str(suppressionGUID(sup)), Justification: str(sup.Mechanism + ": " + sup.Justification)}}
		run.Results = append(run.Results, res)
	}
	log.AddRun(run)
	return log, nil
}

// suppressionGUID is a stable name-based (version 5 shaped) GUID of a
// suppression: the same suppression gets the same GUID in every run.
func suppressionGUID(s report.Suppressed) string {
	h := sha256.Sum256([]byte("keygate-suppression\x00" + s.Fingerprint + "\x00" + s.Mechanism + "\x00" + s.Path))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func result(f report.Finding, index map[string]uint) *gosarif.Result {
	i := index[f.RuleID]
	col := f.Column
	if f.ColumnUTF16 > 0 {
		col = f.ColumnUTF16
	}
	line, col := max(1, f.Line), max(1, col)
	msg := fmt.Sprintf("%s: %s in %s", f.RuleID, f.SecretMasked, f.Path)
	switch {
	case f.BlockedPath():
		msg = fmt.Sprintf("%s: %s must never be committed", f.RuleID, f.Path)
	case f.PolicyChange():
		msg = fmt.Sprintf("%s: %s in %s", f.RuleID, f.Detail, f.Path)
	case f.InPathName():
		msg = fmt.Sprintf("%s: %s in the name of %s", f.RuleID, f.SecretMasked, f.Path)
	}
	if f.EnvName != nil {
		msg += " (the active value of " + *f.EnvName + ")"
	}
	if f.Commit != nil {
		msg += " at commit " + *f.Commit
	}
	props := gosarif.Properties{"source": f.Source, "secret_masked": f.SecretMasked}
	if f.Commit != nil {
		props["commit"] = *f.Commit
	}
	if f.Author != nil {
		props["author"] = *f.Author
	}
	if f.Date != nil {
		props["date"] = *f.Date
	}
	if f.EnvName != nil {
		props["env_name"] = *f.EnvName
	}
	if f.PresentAtTip != nil {
		props["times_added"] = f.TimesAdded
		props["present_at_tip"] = *f.PresentAtTip
	}
	if f.Decoded != "" {
		props["decoded"] = f.Decoded
		msg += " (decoded: " + f.Decoded + ")"
	}
	if v := f.Verification; v != nil {
		props["verification"] = v
		msg += " (verification: " + string(v.Status) + ")"
	}
	return &gosarif.Result{
		RuleID:    str(f.RuleID),
		RuleIndex: &i,
		Level:     str(level(f.Severity)),
		Message:   gosarif.Message{Text: str(msg)},
		Locations: []*gosarif.Location{{
			PhysicalLocation: &gosarif.PhysicalLocation{
				ArtifactLocation: &gosarif.ArtifactLocation{URI: str(escapeURI(f.Path)), URIBaseId: str("%SRCROOT%")},
				Region:           &gosarif.Region{StartLine: num(line), StartColumn: num(col)},
			},
		}},
		// The whole map at once: go-sarif's Add/SetPartialFingerprint
		// helpers panic on a nil map.
		PartialFingerprints: map[string]interface{}{"primaryLocationLineHash": f.Fingerprint, "keygate/v1": f.Fingerprint},
		PropertyBag:         gosarif.PropertyBag{Properties: props},
	}
}

// Encode returns the SARIF document of a report.
func Encode(rep *report.Report, pack *rules.Pack) ([]byte, error) {
	log, err := Build(rep, pack)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := log.PrettyWrite(&buf); err != nil {
		return nil, err
	}
	return report.EscapeJSON(buf.Bytes()), nil
}

// WriteFile writes the SARIF document atomically.
func WriteFile(path string, rep *report.Report, pack *rules.Pack) error {
	data, err := Encode(rep, pack)
	if err != nil {
		return fmt.Errorf("write sarif %s: %w", path, err)
	}
	return atomicfile.Write(path, data, 0o644)
}
