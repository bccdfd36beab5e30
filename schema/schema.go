// Package schema generates the JSON Schemas of keygate's YAML files, for
// editors (yaml-language-server): .keygate.yaml from config.Config and rule
// packs from rules.Pack. The schemas are committed next to this file and
// a test keeps them equal to what the Go types generate: regenerate them
// with `go generate ./schema` after changing a type.
//
// Generate reads the types' doc comments from the source, so it runs with
// this package's directory as the working directory (as go generate and
// go test do).
package schema

//go:generate go run ./gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/invopop/jsonschema"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/rules"
)

// URLBase is where the committed schemas are published; each schema's $id.
const URLBase = "https://raw.githubusercontent.com/keygate/keygate/main/schema/"

// File names of the schemas in this directory.
const (
	ConfigFile   = "keygate.schema.json"
	RulePackFile = "rulepack.schema.json"
	// ReportFile is the schema of reports/security/latest.json.
	ReportFile = "latest.schema.json"
)

// pkgBase is this package's import path: comments are read from the
// sibling packages, relative to it.
const pkgBase = "github.com/keygate/keygate/schema"

// Generate returns each schema file's content by name.
func Generate() (map[string][]byte, error) {
	cfg, err := configSchema()
	if err != nil {
		return nil, err
	}
	pack, err := packSchema()
	if err != nil {
		return nil, err
	}
	rep, err := reportSchema()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for name, s := range map[string]*jsonschema.Schema{ConfigFile: cfg, RulePackFile: pack, ReportFile: rep} {
		data, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		out[name] = append(data, '\n')
	}
	return out, nil
}

func reflector(dir string, requiredFromTags bool) (*jsonschema.Reflector, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: requiredFromTags,
		DoNotReference:             true,
		ExpandedStruct:             true,
	}
	if err := r.AddGoComments(pkgBase, dir); err != nil {
		return nil, fmt.Errorf("read doc comments in %s: %w", dir, err)
	}
	return r, nil
}

// configSchema: every field of .keygate.yaml is optional (each has a
// default, which the schema shows).
func configSchema() (*jsonschema.Schema, error) {
	r, err := reflector("../config", true)
	if err != nil {
		return nil, err
	}
	s := r.Reflect(&config.Config{})
	s.ID = jsonschema.ID(URLBase + ConfigFile)
	s.Title = "keygate configuration (.keygate.yaml)"
	if err := setDefaults(s, config.Default()); err != nil {
		return nil, err
	}
	return s, nil
}

// packSchema: a rule's fields without omitempty are required, as
// rules.Parse requires them.
func packSchema() (*jsonschema.Schema, error) {
	r, err := reflector("../rules", false)
	if err != nil {
		return nil, err
	}
	s := r.Reflect(&rules.Pack{})
	s.ID = jsonschema.ID(URLBase + RulePackFile)
	s.Title = "keygate rule pack"
	rule := s.Properties.Value("rules").Items
	if rule == nil {
		return nil, fmt.Errorf("rule pack schema: no rules items")
	}
	severity := rule.Properties.Value("severity")
	for _, sev := range []rules.Severity{rules.SeverityCritical, rules.SeverityHigh, rules.SeverityMedium, rules.SeverityLow} {
		severity.Enum = append(severity.Enum, string(sev))
	}
	if gate := rule.Properties.Value("gate"); gate != nil {
		gate.Enum = append(gate.Enum, rules.GateGeneric, rules.GateCode, rules.GateValue, rules.GateGroup, rules.GateStructured, rules.GateSensitive)
	}
	if pf := rule.Properties.Value("prefilter"); pf != nil {
		pf.Enum = append(pf.Enum, rules.PrefilterWordRun)
	}
	rule.Properties.Value("id").Pattern = rules.IDPattern
	// A YAML pack's rule needs a keyword to prefilter on and an example
	// to test (rules.Parse rejects empty lists).
	one := uint64(1)
	rule.Properties.Value("keywords").MinItems = &one
	rule.Properties.Value("examples").MinItems = &one
	entropy := rule.Properties.Value("min_entropy")
	entropy.Minimum, entropy.Maximum = json.Number("0"), json.Number("8")
	return s, nil
}

// reportSchema: latest.json as report.Report writes it; a field without
// omitempty is always written, so it is required.
func reportSchema() (*jsonschema.Schema, error) {
	r, err := reflector("../report", false)
	if err != nil {
		return nil, err
	}
	r.FieldNameTag = "json"
	s := r.Reflect(&report.Report{})
	s.ID = jsonschema.ID(URLBase + ReportFile)
	s.Title = "keygate report (reports/security/latest.json)"
	// A pointer field without omitempty is written as null when unset.
	for _, list := range []string{"findings", "suppressed"} {
		item := s.Properties.Value(list).Items
		if item == nil {
			return nil, fmt.Errorf("report schema: no %s items", list)
		}
		for _, name := range []string{"commit", "env_name"} {
			p := item.Properties.Value(name)
			if p == nil {
				return nil, fmt.Errorf("report schema: no %s.%s", list, name)
			}
			item.Properties.Set(name, &jsonschema.Schema{Description: p.Description,
				AnyOf: []*jsonschema.Schema{{Type: p.Type}, {Type: "null"}}})
		}
	}
	return s, nil
}

// setDefaults records def's values as the defaults of s's properties,
// object by object.
func setDefaults(s *jsonschema.Schema, def any) error {
	data, err := yaml.Marshal(def)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&m); err != nil {
		return err
	}
	var walk func(s *jsonschema.Schema, m map[string]any)
	walk = func(s *jsonschema.Schema, m map[string]any) {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			v, ok := m[p.Key]
			if !ok {
				continue
			}
			if sub, ok := v.(map[string]any); ok {
				walk(p.Value, sub)
				continue
			}
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Len() == 0 {
				v = []any{}
			}
			p.Value.Default = v
		}
	}
	walk(s, m)
	return nil
}
