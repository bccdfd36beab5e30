// Package rules defines keygate's rule-pack format: loading YAML packs with
// line-numbered errors, validating them, merging extra packs over the
// embedded default, and running each rule's examples as self-tests.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Severity is how urgent a finding is: low < medium < high < critical.
type Severity string

// Severities, from most to least urgent.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
)

var severityRank = map[Severity]int{SeverityLow: 1, SeverityMedium: 2, SeverityHigh: 3, SeverityCritical: 4}

// Valid reports whether s is one of the four severities.
func (s Severity) Valid() bool { _, ok := severityRank[s]; return ok }

// AtLeast reports whether s is as urgent as min or more. A severity that
// is not one of the four ranks above critical, so a finding of an unknown
// severity is never let through a threshold.
func (s Severity) AtLeast(min Severity) bool { return s.rank() >= min.rank() }

func (s Severity) rank() int {
	if r, ok := severityRank[s]; ok {
		return r
	}
	return len(severityRank) + 1
}

// GateGeneric is the value gate of rules keyed on a variable's name alone:
// a match counts only when the name's last word is a secret word and the
// value looks like a credential, not code, a path, words or a placeholder.
const GateGeneric = "generic"

// GateCode is the value gate of rules whose context makes a plain word a
// credential (a Bitget passphrase): the match counts unless the value is
// code (a call, index or member access), a reference or a template.
const GateCode = "code"

// GateValue is the value gate of rules whose context names the value a
// credential (a --api-secret flag, mysql's -p): the match counts when the
// value looks like key material as the generic gate judges it, whatever
// name stands before it.
const GateValue = "value"

// GateGroup is the value gate of a credential group's passphrase or
// password: the match counts, even as words, when it is no code or
// reference and the object, call or block around it holds a key and a
// secret of key material (detector/group.go). It reads past the match's
// line, so its rule is non-local.
const GateGroup = "group"

// GateStructured is the value gate of a value its structure names: a
// sibling "key"/"name" member (Postman, HAR, Kubernetes env lists), a
// JWK's private member, a Terraform random_password's result
// (detector/structured.go). Name and value are then judged as the
// generic gate does.
const GateStructured = "structured"

// GateSensitive is the value gate of a Terraform state attribute: the
// match counts when its instance's sensitive_attributes name the member
// (a one-step path) and the value, judged as a password's, looks like key
// material (detector/structured.go). It reads past the match's line, so
// its rule is non-local.
const GateSensitive = "sensitive"

// PrefilterWordRun is the built-in prefilter of rules for a bare BIP-39
// mnemonic, which holds no keyword: a run of at least twelve lowercase
// words on one line, the whole of a quoted string or of an assigned value.
const PrefilterWordRun = "word-run"

// Pack is a named, versioned set of rules plus global allowlists.
type Pack struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version,omitempty"`
	// Family is the family of the pack's rules that name none.
	Family string `yaml:"family,omitempty"`
	// ConvertedFrom names the tool a pack was converted from (`keygate
	// rules convert` writes "gitleaks"): its rules may lack examples,
	// which `keygate rules test` then warns about instead of refusing the
	// pack. Delete it once every rule has examples.
	ConvertedFrom string `yaml:"converted_from,omitempty"`
	Rules         []Rule `yaml:"rules"`
	Allow         Allow  `yaml:"allow,omitempty"`

	// Sources lists the files the pack was built from, in merge order.
	Sources []string `yaml:"-"`
	// SHA256 is the digest of the bytes of every source, in merge order,
	// so a report names exactly which rules produced it.
	SHA256 string `yaml:"-"`
	// Overrides are the built-in rules extra packs replaced (Overlay).
	Overrides []Override `yaml:"-"`

	digest []byte
	// converted: decoded from another tool's format (see Converted).
	converted bool
}

// Rule is one detection rule. Its ID is the stable SARIF ruleId.
//
// Fields without omitempty are required (the JSON Schema says so too).
type Rule struct {
	ID          string `yaml:"id"`
	Description string `yaml:"description,omitempty"`
	// Family groups rules by kind of provider (cloud, vcs, exchanges...)
	// for listing; it does not change matching.
	Family      string   `yaml:"family,omitempty"`
	Severity    Severity `yaml:"severity"`
	Keywords    []string `yaml:"keywords"`
	Pattern     string   `yaml:"pattern"`
	SecretGroup int      `yaml:"secret_group,omitempty"`
	MinEntropy  float64  `yaml:"min_entropy,omitempty"`
	Paths       []string `yaml:"paths,omitempty"`
	Allow       []string `yaml:"allow,omitempty"`
	// AllowPaths are globs of files the rule does not apply to.
	AllowPaths       []string `yaml:"allow_paths,omitempty"`
	Examples         []string `yaml:"examples"`
	NegativeExamples []string `yaml:"negative_examples,omitempty"`
	Help             string   `yaml:"help,omitempty"`
	// Checksum names a check the secret's own digits must pass (see
	// Checksums); a match that fails it is not a finding.
	Checksum string `yaml:"checksum,omitempty"`
	// Verify names the provider that `keygate scan --verify` asks whether
	// the credential is live ("bitget"), optionally with the part of the
	// credential this rule finds ("binance:secret"); see Verifiers.
	Verify string `yaml:"verify,omitempty"`

	// Gate names a check of the value in Go beyond the pattern: "generic"
	// (GateGeneric) judges the name and value as the generic rule does,
	// "code" (GateCode) drops code and references only, "value"
	// (GateValue) judges the value alone as the generic gate does, "group"
	// (GateGroup) judges a passphrase with the key and secret beside it,
	// "structured" (GateStructured) a value its structure names,
	// "sensitive" (GateSensitive) a state attribute marked sensitive.
	Gate string `yaml:"gate,omitempty"`

	// Prefilter names a built-in scan that opens the windows of the rule's
	// pattern where no keyword can ("word-run", PrefilterWordRun), instead
	// of its keywords: it finds every line the pattern can match.
	Prefilter string `yaml:"prefilter,omitempty"`

	// Override must be true for a rule of an extra pack that replaces a
	// built-in rule of the same id; the replacement is shown in every
	// output.
	Override bool `yaml:"override,omitempty"`

	// File and Line locate the rule's definition, for error messages.
	File string `yaml:"-"`
	Line int    `yaml:"-"`
	// Scope is the pattern's scope, found when the pack was parsed; nil
	// for a rule built in code (see LineScope).
	Scope *Scope `yaml:"-"`
}

// Allow holds pack-wide allowlists.
type Allow struct {
	// Placeholders are regexes; a secret matching any of them is a
	// template, mask or reference, not a credential.
	Placeholders []string `yaml:"placeholders,omitempty"`
	// Paths are globs of files no rule applies to.
	Paths []string `yaml:"paths,omitempty"`
}

// Rule returns the rule with the given id, or nil.
func (p *Pack) Rule(id string) *Rule {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			return &p.Rules[i]
		}
	}
	return nil
}

func (p *Pack) addSource(name string, data []byte) {
	h := sha256.New()
	h.Write(p.digest)
	h.Write(data)
	p.digest = h.Sum(nil)
	p.SHA256 = hex.EncodeToString(p.digest)
	p.Sources = append(p.Sources, name)
}

// Merge returns a pack with extra's rules over p's: a rule with an existing
// id replaces it in place, new rules are appended, placeholders are joined.
func (p *Pack) Merge(extra *Pack) *Pack {
	out := *p
	out.Rules = append([]Rule(nil), p.Rules...)
	out.Allow.Placeholders = append(append([]string(nil), p.Allow.Placeholders...), extra.Allow.Placeholders...)
	out.Allow.Paths = append(append([]string(nil), p.Allow.Paths...), extra.Allow.Paths...)
	out.Sources = append(append([]string(nil), p.Sources...), extra.Sources...)
	h := sha256.New()
	h.Write(p.digest)
	h.Write(extra.digest)
	out.digest = h.Sum(nil)
	out.SHA256 = hex.EncodeToString(out.digest)
	for _, r := range extra.Rules {
		if existing := out.Rule(r.ID); existing != nil {
			*existing = r
			continue
		}
		out.Rules = append(out.Rules, r)
	}
	return &out
}

// LoadWithExtras returns the embedded default pack with each extra pack
// merged over it in order.
func LoadWithExtras(extra []string) (*Pack, error) {
	p, err := Default()
	if err != nil {
		return nil, err
	}
	for _, path := range extra {
		e, err := Load(path)
		if err != nil {
			return nil, err
		}
		if p, err = p.Overlay(e); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// clone copies p deeply: nothing the copy holds is shared with p. The
// rules' string lists and scopes are carved from one array each (a copy
// per list was most of a start-up's allocations); each list is capped, so
// an append to one reallocates instead of writing over the next.
func (p *Pack) clone() *Pack {
	c := *p
	n, scopes := 0, 0
	for i := range p.Rules {
		r := &p.Rules[i]
		n += len(r.Keywords) + len(r.Paths) + len(r.Allow) + len(r.AllowPaths) + len(r.Examples) + len(r.NegativeExamples)
		if r.Scope != nil {
			scopes++
		}
	}
	strs := make([]string, 0, n)
	take := func(s []string) []string {
		if s == nil {
			return nil
		}
		start := len(strs)
		strs = append(strs, s...)
		return strs[start:len(strs):len(strs)]
	}
	scs := make([]Scope, 0, scopes)
	c.Rules = make([]Rule, len(p.Rules))
	for i, r := range p.Rules {
		r.Keywords = take(r.Keywords)
		r.Paths = take(r.Paths)
		r.Allow = take(r.Allow)
		r.AllowPaths = take(r.AllowPaths)
		r.Examples = take(r.Examples)
		r.NegativeExamples = take(r.NegativeExamples)
		if r.Scope != nil {
			scs = append(scs, *r.Scope)
			r.Scope = &scs[len(scs)-1]
		}
		c.Rules[i] = r
	}
	c.Allow.Placeholders = slices.Clone(p.Allow.Placeholders)
	c.Allow.Paths = slices.Clone(p.Allow.Paths)
	c.Sources = slices.Clone(p.Sources)
	c.Overrides = slices.Clone(p.Overrides)
	c.digest = slices.Clone(p.digest)
	return &c
}
