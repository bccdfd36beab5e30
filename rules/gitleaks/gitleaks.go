// Package gitleaks reads gitleaks' TOML configuration (.gitleaks.toml) as a
// keygate rule pack, so a team moving from gitleaks keeps its custom rules.
//
// Importing it registers ".toml" with rules.RegisterFormat: `--rules
// custom.toml` then loads like a YAML pack. Convert prints the YAML
// equivalent (`keygate rules convert`).
//
// Invariant: a gitleaks setting keygate cannot honour exactly is an error
// naming the file and line, never silently dropped: a dropped allowlist
// would report what gitleaks allowed, a dropped rule condition would miss
// what it found. What maps:
//
//   - [[rules]] id (lowercased, kebab-case), description, regex (RE2),
//     secretGroup (0 with groups in the regex means group 1, as gitleaks
//     takes the first group), entropy, keywords, path (a regex, converted
//     to globs), tags (a tag named critical, high, medium or low sets the
//     severity; high otherwise).
//   - [[rules.allowlists]] and [rules.allowlist]: regexes and stopwords
//     become the rule's allow (on the secret), paths its allow_paths.
//   - [allowlist] and [[allowlists]]: regexes and stopwords become the
//     pack's allow.placeholders, paths its allow.paths; with targetRules,
//     those rules' own allowlists instead.
//   - [extend] useDefault: keygate's default pack always runs under an
//     extra pack, so it holds either way.
//
// Rejected, with the reason: [[rules.required]] (composite rules),
// skipReport, regexTarget other than "secret", condition = "AND" over two
// kinds of criteria, allowlist commits, [extend] path, url and
// disabledRules, a rule with a path and no regex, and a path regex no glob
// can say.
package gitleaks

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/rules"
)

func init() {
	rules.RegisterFormat(".toml", Decode)
}

type config struct {
	Title      string      `toml:"title"`
	MinVersion string      `toml:"minVersion"`
	Extend     *extend     `toml:"extend"`
	Rules      []rule      `toml:"rules"`
	Allowlist  *allowlist  `toml:"allowlist"`
	Allowlists []allowlist `toml:"allowlists"`
}

type extend struct {
	UseDefault    *bool    `toml:"useDefault"`
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	DisabledRules []string `toml:"disabledRules"`
}

type rule struct {
	ID          string      `toml:"id"`
	Description string      `toml:"description"`
	Regex       string      `toml:"regex"`
	SecretGroup int         `toml:"secretGroup"`
	Entropy     float64     `toml:"entropy"`
	Path        string      `toml:"path"`
	Keywords    []string    `toml:"keywords"`
	Tags        []string    `toml:"tags"`
	Allowlist   *allowlist  `toml:"allowlist"`
	Allowlists  []allowlist `toml:"allowlists"`
	Required    []any       `toml:"required"`
	SkipReport  bool        `toml:"skipReport"`
}

type allowlist struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
	Paths       []string `toml:"paths"`
	Commits     []string `toml:"commits"`
	TargetRules []string `toml:"targetRules"`
}

// DefaultSeverity is given to a converted rule whose tags name none.
const DefaultSeverity = rules.SeverityHigh

// Help is the fix a converted rule suggests (gitleaks rules carry none).
const Help = "Revoke the credential where it was issued, rotate it, then remove it from the file and from git history."

// converter collects errors, each at a line of the file.
type converter struct {
	name string
	pos  positions
	errs []error
}

func (c *converter) fail(path, format string, args ...any) {
	c.errs = append(c.errs, &rules.Error{File: c.name, Line: c.pos.at(path), Msg: fmt.Sprintf(format, args...)})
}

// Decode reads a gitleaks TOML configuration into a pack whose rules name
// their line in it; rules.Converted validates the result (rules.Load does
// both). Every problem is returned, each naming name:line.
func Decode(name string, data []byte) (*rules.Pack, error) {
	var cfg config
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, decodeError(name, err)
	}
	c := &converter{name: name, pos: locate(data)}
	p := c.pack(&cfg)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return p, nil
}

// decodeError names the line of a TOML syntax, type or unknown-field error.
func decodeError(name string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs []error
		for _, e := range strict.Errors {
			line, _ := e.Position()
			errs = append(errs, &rules.Error{File: name, Line: line,
				Msg: fmt.Sprintf("unknown field %s: not a gitleaks setting keygate converts", strings.Join(e.Key(), "."))})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		return &rules.Error{File: name, Line: line, Msg: strings.TrimPrefix(de.Error(), "toml: ")}
	}
	return &rules.Error{File: name, Msg: err.Error()}
}

func (c *converter) pack(cfg *config) *rules.Pack {
	p := &rules.Pack{Name: cfg.Title, Version: "gitleaks"}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(c.name), filepath.Ext(c.name))
	}
	if e := cfg.Extend; e != nil {
		if e.Path != "" {
			c.fail("extend.path", "extend.path: keygate does not follow other files; load that pack as a pack of its own")
		}
		if e.URL != "" {
			c.fail("extend.url", "extend.url: keygate does not fetch packs; download it and load it as a pack of its own")
		}
		if len(e.DisabledRules) > 0 {
			c.fail("extend.disabledRules", "extend.disabledRules: keygate's default rules cannot be turned off by a pack; suppress findings with allow_paths, keygate:allow or the baseline")
		}
	}
	ids := map[string]int{}
	for i := range cfg.Rules {
		at := fmt.Sprintf("rules[%d]", i)
		r := c.rule(at, &cfg.Rules[i])
		ids[cfg.Rules[i].ID] = len(p.Rules)
		p.Rules = append(p.Rules, r)
	}
	var global []allowlist
	var globalAt []string
	if cfg.Allowlist != nil {
		global, globalAt = append(global, *cfg.Allowlist), append(globalAt, "allowlist")
	}
	for i, a := range cfg.Allowlists {
		global, globalAt = append(global, a), append(globalAt, fmt.Sprintf("allowlists[%d]", i))
	}
	for i, a := range global {
		at := globalAt[i]
		allow, paths := c.allowlist(at, a)
		if len(a.TargetRules) == 0 {
			p.Allow.Placeholders = append(p.Allow.Placeholders, allow...)
			p.Allow.Paths = append(p.Allow.Paths, paths...)
			continue
		}
		for _, id := range a.TargetRules {
			j, ok := ids[id]
			if !ok {
				c.fail(at+".targetRules", "targetRules: no rule %q in this file (keygate's default rules have ids of their own)", id)
				continue
			}
			p.Rules[j].Allow = append(p.Rules[j].Allow, allow...)
			p.Rules[j].AllowPaths = append(p.Rules[j].AllowPaths, paths...)
		}
	}
	return p
}

var nonKebab = regexp.MustCompile(`[^a-z0-9]+`)

func (c *converter) rule(at string, g *rule) rules.Rule {
	r := rules.Rule{
		ID:          strings.Trim(nonKebab.ReplaceAllString(strings.ToLower(g.ID), "-"), "-"),
		Description: g.Description,
		Severity:    DefaultSeverity,
		Keywords:    g.Keywords,
		Pattern:     g.Regex,
		SecretGroup: g.SecretGroup,
		MinEntropy:  g.Entropy,
		Help:        Help,
		File:        c.name,
		Line:        c.pos.at(at),
	}
	for _, t := range g.Tags {
		if s := rules.Severity(strings.ToLower(t)); s.Valid() {
			r.Severity = s
		}
	}
	if len(g.Required) > 0 {
		c.fail(at+".required", "rule %q: [[rules.required]] (a composite rule) cannot be expressed: keygate rules find one secret each", g.ID)
	}
	if g.SkipReport {
		c.fail(at+".skipReport", "rule %q: skipReport: a keygate rule always reports", g.ID)
	}
	if g.Regex == "" && g.Path != "" {
		c.fail(at+".path", "rule %q: a rule with a path and no regex flags files by name: list those globs in blocked_paths of .keygate.yaml", g.ID)
		return r
	}
	if g.SecretGroup == 0 {
		// gitleaks reports the first group when secretGroup is unset.
		if re, err := syntax.Parse(g.Regex, syntax.Perl); err == nil && re.MaxCap() > 0 {
			r.SecretGroup = 1
		}
	}
	if g.Path != "" {
		globs, err := pathGlobs(g.Path)
		if err != nil {
			c.fail(at+".path", "rule %q: path %q: %v; write paths globs in a YAML pack instead", g.ID, g.Path, err)
		}
		r.Paths = globs
	}
	var lists []allowlist
	var listAt []string
	if g.Allowlist != nil {
		lists, listAt = append(lists, *g.Allowlist), append(listAt, at+".allowlist")
	}
	for i, a := range g.Allowlists {
		lists, listAt = append(lists, a), append(listAt, fmt.Sprintf("%s.allowlists[%d]", at, i))
	}
	for i, a := range lists {
		if len(a.TargetRules) > 0 {
			c.fail(listAt[i]+".targetRules", "targetRules belongs in a global [[allowlists]], not in a rule's")
		}
		allow, paths := c.allowlist(listAt[i], a)
		r.Allow = append(r.Allow, allow...)
		r.AllowPaths = append(r.AllowPaths, paths...)
	}
	return r
}

// allowlist converts one allowlist into regexes on the secret and globs of
// paths.
func (c *converter) allowlist(at string, a allowlist) (allow, paths []string) {
	switch strings.ToLower(a.RegexTarget) {
	case "", "secret":
	default:
		c.fail(at+".regexTarget", "regexTarget = %q: keygate allowlists match the secret only; drop it or match the secret", a.RegexTarget)
	}
	if len(a.Commits) > 0 {
		c.fail(at+".commits", "commits: a pack cannot allow commits; list those findings in .gitleaksignore (commit:path:rule:line) or the baseline")
	}
	kinds := 0
	for _, n := range []int{len(a.Regexes) + len(a.StopWords), len(a.Paths)} {
		if n > 0 {
			kinds++
		}
	}
	switch strings.ToUpper(a.Condition) {
	case "", "OR":
	case "AND":
		if kinds > 1 {
			c.fail(at+".condition", `condition = "AND" over both paths and regexes or stopwords cannot be expressed: split them, or use "OR"`)
		}
	default:
		c.fail(at+".condition", "condition = %q: want OR or AND", a.Condition)
	}
	allow = append(allow, a.Regexes...)
	for _, w := range a.StopWords {
		// gitleaks: the lowercased secret contains the stopword.
		allow = append(allow, "(?i)"+regexp.QuoteMeta(w))
	}
	for _, re := range a.Paths {
		globs, err := pathGlobs(re)
		if err != nil {
			c.fail(at+".paths", "paths: %q: %v; use allow_paths globs in .keygate.yaml instead", re, err)
			continue
		}
		paths = append(paths, globs...)
	}
	return allow, paths
}

// Convert reads a gitleaks TOML configuration and returns the equivalent
// keygate YAML pack, validated as `--rules` would load it.
func Convert(name string, data []byte) ([]byte, error) {
	p, err := Decode(name, data)
	if err != nil {
		return nil, err
	}
	if p, err = rules.Converted(name, data, p); err != nil {
		return nil, err
	}
	// Marked as converted, the output loads as written (`--rules F.yaml`):
	// its rules have no examples, which `keygate rules test` warns about.
	p.ConvertedFrom = "gitleaks"
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Converted from %s by `keygate rules convert`.\n", filepath.Base(name))
	b.WriteString("# gitleaks rules carry no examples; converted_from lets this pack load without\n")
	b.WriteString("# them (`keygate rules test` warns). Add examples and negative_examples to each\n")
	b.WriteString("# rule, then delete converted_from so that examples are required again.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("convert %s: %w", name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("convert %s: %w", name, err)
	}
	return b.Bytes(), nil
}
