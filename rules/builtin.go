package rules

// Rules keygate raises itself, outside any pack. Their ids are stable like
// a pack rule's: SARIF, baselines and .gitleaksignore name them.
const (
	// KnownValueID is the rule of a finding of an active credential value
	// from the env file, raw or encoded.
	KnownValueID = "known-credential-value"
	// BlockedPathID is the rule of a committed blocked path (env/.env,
	// private keys), whatever the file holds.
	BlockedPathID = "blocked-path"
)

// Builtins describes the built-in rules as pack rules are described, for
// reports and SARIF's rule list. Each call returns fresh copies.
func Builtins() []*Rule {
	return []*Rule{
		{ID: KnownValueID, Family: "core", Severity: "critical",
			Description: "An active credential value from the env file (raw or encoded)",
			Help:        "An active credential from the env file is in this file: remove it, and rotate the key (`keygate rotate`) if the file left the host."},
		{ID: BlockedPathID, Family: "core", Severity: "critical",
			Description: "A file that must never be committed (env file, private key)",
			Help:        "This file must never be committed. Unstage it with `git rm --cached PATH`, add it to .gitignore, and if it was ever pushed, rotate every credential it held."},
		policyRule("inline", "An inline allow comment the range's base did not hold on this line"),
		policyRule("gitleaksignore", "A .gitleaksignore entry the range's base did not hold"),
		policyRule("config", "A change to what .keygate.yaml scans, blocks or allows"),
		policyRule("baseline", "A baseline entry the range's base did not accept"),
		policyRule("pack", "A rule pack the range's base did not hold"),
	}
}

// SuppressionAddedPrefix starts the id of each built-in rule reporting a
// suppression a range adds to its own policy (suppression-added-inline,
// -gitleaksignore, -config, -baseline, -pack).
const SuppressionAddedPrefix = "suppression-added-"

func policyRule(mechanism, description string) *Rule {
	return &Rule{ID: SuppressionAddedPrefix + mechanism, Family: "policy", Severity: SeverityHigh, Description: description,
		Help: "A change judged by keygate may not suppress its own findings: the range's base decides the policy. If a maintainer accepts this change, rerun with --accept-policy-changes (the Action's accept-policy-changes input, set only from a trusted context such as a maintainer's label)."}
}

// Builtin returns the built-in rule id, or nil.
func Builtin(id string) *Rule {
	for _, r := range Builtins() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
