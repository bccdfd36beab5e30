package rules

import (
	_ "embed"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/yamlfile"
)

//go:embed default.yaml
var defaultPack []byte

// DefaultName is the source name reported for the embedded pack.
const DefaultName = "builtin:rules/default.yaml"

// Default returns the embedded default pack. It is validated by tests, so an
// error here means a broken build, not bad user input.
func Default() (*Pack, error) {
	return Parse(DefaultName, defaultPack)
}

// DefaultYAML returns the embedded default pack's source text.
func DefaultYAML() []byte { return append([]byte(nil), defaultPack...) }

// Load reads and validates the pack at path.
func Load(path string) (*Pack, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load rules %s: %w", path, err)
	}
	if decode := formatFor(path); decode != nil {
		p, err := decode(path, data)
		if err != nil {
			return nil, err
		}
		return Converted(path, data, p)
	}
	return Parse(path, data)
}

// Error is a problem at a place in a rule-pack file.
type Error = yamlfile.Error

var fieldHelp = map[string]string{
	"rules.Rule":  "a rule has id, description, severity, keywords, pattern, secret_group, min_entropy, paths, allow, allow_paths, examples, negative_examples, help",
	"rules.Pack":  "a pack has name, version, rules, allow",
	"rules.Allow": "allow has placeholders, paths",
}

// Parse decodes and validates a pack from data; name is used in errors.
// Every problem found is returned, each naming name:line.
func Parse(name string, data []byte) (*Pack, error) {
	var p Pack
	doc, err := yamlfile.Decode(name, data, &p, fieldHelp)
	if err != nil {
		return nil, err
	}
	lines := ruleLines(doc)
	for i := range p.Rules {
		p.Rules[i].File = name
		if i < len(lines) {
			p.Rules[i].Line = lines[i]
		}
	}
	if err := p.validate(name, doc.Line); err != nil {
		return nil, err
	}
	p.addSource(name, data)
	return &p, nil
}

// ruleLines returns the line of each item of the top-level rules sequence.
func ruleLines(doc *yaml.Node) []int {
	if doc.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value != "rules" || doc.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		var out []int
		for _, item := range doc.Content[i+1].Content {
			out = append(out, item.Line)
		}
		return out
	}
	return nil
}
