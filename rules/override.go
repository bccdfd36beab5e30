package rules

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/yamlfile"
)

// PolicyRules are the built-in rules of the operations policy itself: the
// Bitget credentials, the inventory of bot and Redis passwords, private
// keys. Overriding one is allowed (override: true) and shown in every
// output.
var PolicyRules = []string{"private-key", "bitget-api-key", "bitget-api-secret", "bitget-passphrase",
	"bot-bitget-credential", "bot-password", "redis-password", "bitget-auth-header"}

// IsPolicyRule reports whether id is one of PolicyRules.
func IsPolicyRule(id string) bool { return slices.Contains(PolicyRules, id) }

// Override is a built-in rule an extra pack replaced (override: true).
type Override struct {
	RuleID string `json:"rule_id"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	// Policy is true for one of PolicyRules.
	Policy bool `json:"policy"`
}

// Overlay returns p with extra merged over it (Merge), refusing a rule of
// extra that reuses a built-in rule's id without override: true: a pack
// must not redefine bitget-api-secret by accident, or on purpose unseen.
// The pack's Overrides list each built-in rule replaced.
func (p *Pack) Overlay(extra *Pack) (*Pack, error) {
	def, err := Default()
	if err != nil {
		return nil, err
	}
	var overrides []Override
	for _, r := range extra.Rules {
		if def.Rule(r.ID) == nil {
			continue
		}
		if !r.Override {
			return nil, &Error{File: r.File, Line: r.Line, Msg: fmt.Sprintf(
				"rule %q: reuses the id of a built-in rule; say override: true to replace it (a gitleaks TOML pack: rename the rule)", r.ID)}
		}
		overrides = append(overrides, Override{RuleID: r.ID, File: r.File, Line: r.Line, Policy: IsPolicyRule(r.ID)})
	}
	out := p.Merge(extra)
	out.Overrides = append(slices.Clone(p.Overrides), overrides...)
	return out, nil
}

// samples are values and paths an allow list must not all match: one that
// does suppresses every finding, which is no allow list but an off switch.
var (
	sampleValues = []string{"5eed5eed0123456789abcdef0123456789abcdef0123456789abcdefdeadbeef",
		"q8Zr2LmT0vXw4Yp9Kd7Hs1Nf", "Quay9Lantern2Reef", "ZK3PXQ7TLMR2WNBV5HJC",
		"x", "Zq9-@_~+/=%!k7Lw", "ghp_0123456789abcdefghijklmnopqrstuvwxyz"}
	samplePaths = []string{"a", "bots/config.py", "env/.env", "docs/runbook.md", "src/deep/nested/dir/main.go", ".keygate.yaml"}
)

// allowsEverything reports whether an allow regex matches the empty
// string or every sample value.
func allowsEverything(pattern string) bool {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return false // the syntax check reports it
	}
	if re.MatchString("") {
		return true
	}
	for _, v := range sampleValues {
		if !re.MatchString(v) {
			return false
		}
	}
	return true
}

// allowsEveryPath reports whether an allow glob matches every sample path.
func allowsEveryPath(glob string) bool {
	for _, p := range samplePaths {
		if ok, _ := doublestar.Match(glob, p); !ok {
			return false
		}
	}
	return true
}

// refuseAllowAll checks the pack's allow lists (allow.placeholders,
// allow.paths, each rule's allow and allow_paths): a pattern matching
// every value or path is an error at its line.
func (p *Pack) refuseAllowAll(file string, doc *yaml.Node) error {
	var errs []error
	add := func(line int, what string) {
		errs = append(errs, &Error{File: file, Line: line, Msg: what + " matches every value: an allow list must name what it allows"})
	}
	for i, ph := range p.Allow.Placeholders {
		if allowsEverything(ph) {
			add(yamlfile.Line(doc, "allow", "placeholders", i), fmt.Sprintf("allow.placeholders[%d]", i))
		}
	}
	for i, g := range p.Allow.Paths {
		if allowsEveryPath(g) {
			add(yamlfile.Line(doc, "allow", "paths", i), fmt.Sprintf("allow.paths[%d]", i))
		}
	}
	for i, r := range p.Rules {
		for j, a := range r.Allow {
			if allowsEverything(a) {
				add(yamlfile.Line(doc, "rules", i, "allow", j), fmt.Sprintf("rule %q: allow[%d]", r.ID, j))
			}
		}
		for j, g := range r.AllowPaths {
			if allowsEveryPath(g) {
				add(yamlfile.Line(doc, "rules", i, "allow_paths", j), fmt.Sprintf("rule %q: allow_paths[%d]", r.ID, j))
			}
		}
	}
	return joinErrs(errs)
}
