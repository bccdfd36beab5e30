package scan

import (
	"bytes"
	"strings"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/rules"
)

// SourcePolicy marks a finding about a change to the policy (a
// suppression the judged range adds), not about a secret.
const SourcePolicy = "policy"

// PolicyMechanism names what a range changed to suppress findings.
type PolicyMechanism string

// Policy mechanisms: each is a rule id suppression-added-<mechanism>.
const (
	PolicyInline         PolicyMechanism = "inline"
	PolicyGitleaksIgnore PolicyMechanism = "gitleaksignore"
	PolicyConfig         PolicyMechanism = "config"
	PolicyBaseline       PolicyMechanism = "baseline"
	PolicyPack           PolicyMechanism = "pack"
)

// PolicyRuleID is the rule id of a suppression added through m.
func PolicyRuleID(m PolicyMechanism) string { return rules.SuppressionAddedPrefix + string(m) }

// IsPolicyRule reports whether id is a suppression-added rule id.
func IsPolicyRule(id string) bool { return strings.HasPrefix(id, rules.SuppressionAddedPrefix) }

// PolicyFinding is a finding for a suppression the judged range adds
// through m at path:line, in commit when known. detail says what changed
// in words and names no value. It fails the gate like a secret (severity
// high) until accepted (SuppressedAccepted).
func PolicyFinding(m PolicyMechanism, path string, line int, commit, detail string) Finding {
	id := PolicyRuleID(m)
	return Finding{RuleID: id, Severity: rules.SeverityHigh, Path: path, Line: max(line, 1), Column: 1, Commit: commit,
		Fingerprint: detector.Fingerprint(id, path, detail), Source: SourcePolicy, Detail: detail}
}

// lineAt returns line n (1-based) of data without its line ending.
func lineAt(data []byte, n int) []byte {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return nil
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return bytes.TrimSuffix(data, []byte{'\r'})
}

// filePolicy files the range's policy changes: findings, or accepted
// suppressions when the operator accepted them.
func (o *Options) filePolicy(r *Result, changes []Finding) {
	for _, f := range changes {
		if o.AcceptPolicyChanges {
			f.Suppressed = SuppressedAccepted
			r.Suppressed = append(r.Suppressed, f)
			continue
		}
		r.Findings = append(r.Findings, f)
	}
}

// trustInline checks the inline allow of a finding a range added: when
// the base did not hold the same line, the comment is a policy change,
// filed by filePolicy; unless accepted, the finding is reported.
func (o *Options) trustInline(r *Result, f *Finding, read func() ([]byte, error)) error {
	if f.Suppressed != SuppressedInline || o.InlineTrusted == nil {
		return nil
	}
	data, err := read()
	if err != nil {
		return err
	}
	if o.InlineTrusted(f.Path, lineAt(data, f.Line)) {
		return nil
	}
	o.filePolicy(r, []Finding{PolicyFinding(PolicyInline, f.Path, f.Line, f.Commit,
		"an inline allow comment the base did not hold on this line suppresses a "+f.RuleID+" finding")})
	if !o.AcceptPolicyChanges {
		f.Suppressed = ""
	}
	return nil
}
