// Package yamlfile decodes YAML strictly (unknown fields are errors) and
// turns every problem into an Error that names the file and the line.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem at a place in a YAML file.
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

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
var notFoundRE = regexp.MustCompile(`field (\S+) not found in type (\S+)`)

// Decode parses data strictly into v and returns the document's root node
// (for line lookups). fieldHelp maps a Go type name (e.g. "rules.Rule") to
// the words that tell an author which fields that section accepts.
func Decode(file string, data []byte, v any, fieldHelp map[string]string) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, convert(file, err, fieldHelp)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: file, Msg: "the file is empty"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && err != io.EOF {
		return nil, convert(file, err, fieldHelp)
	}
	return root.Content[0], nil
}

func convert(file string, err error, fieldHelp map[string]string) error {
	var lines []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	var out []error
	for _, l := range lines {
		e := &Error{File: file, Msg: strings.TrimPrefix(l, "yaml: ")}
		if m := lineRE.FindStringSubmatch(l); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2]
		}
		if m := notFoundRE.FindStringSubmatch(e.Msg); m != nil {
			e.Msg = fmt.Sprintf("unknown field %s", m[1])
			if h, ok := fieldHelp[m[2]]; ok {
				e.Msg += " (" + h + ")"
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}
