package rules

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
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
	return Parse(path, data)
}

// Error is a problem at a place in a rule-pack file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlErrors turns the YAML library's messages into Errors that name the
// file and line, in words a rule author understands.
func yamlErrors(file string, err error) error {
	var lines []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	var out []error
	for _, l := range lines {
		e := &Error{File: file, Msg: l}
		if m := yamlLineRE.FindStringSubmatch(l); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2]
		}
		e.Msg = strings.TrimPrefix(e.Msg, "yaml: ")
		e.Msg = strings.Replace(e.Msg, " not found in type rules.Rule", " is not a rule field (see DESIGN.md, Rule pack)", 1)
		e.Msg = strings.Replace(e.Msg, " not found in type rules.Pack", " is not a pack field (name, version, rules, allow)", 1)
		e.Msg = strings.Replace(e.Msg, " not found in type rules.Allow", " is not an allow field (placeholders)", 1)
		out = append(out, e)
	}
	return errors.Join(out...)
}

// Parse decodes and validates a pack from data; name is used in errors.
// Every problem found is returned, each naming name:line.
func Parse(name string, data []byte) (*Pack, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlErrors(name, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: name, Msg: "empty rule pack: expected name, version and rules"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Pack
	if err := dec.Decode(&p); err != nil && err != io.EOF {
		return nil, yamlErrors(name, err)
	}
	lines := ruleLines(root.Content[0])
	for i := range p.Rules {
		p.Rules[i].File = name
		if i < len(lines) {
			p.Rules[i].Line = lines[i]
		}
	}
	if err := p.validate(name, root.Content[0].Line); err != nil {
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
