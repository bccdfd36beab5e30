// Package yamlfile decodes YAML strictly (unknown fields are errors) and
// turns every problem into an Error that names the file and the line.
package yamlfile

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/lazyre"
)

// Error is a problem at a place in a YAML file.
type Error struct {
	File string
	Line int
	Msg  string
	// Err, when set, is the sentinel the problem is (ErrEmpty).
	Err error
}

// Unwrap returns the sentinel the problem is, if any.
func (e *Error) Unwrap() error { return e.Err }

// ErrEmpty is a file with no YAML document: nothing, or only comments.
var ErrEmpty = errors.New("the file is empty")

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var lineRE = lazyre.New(`^(?:yaml: )?line (\d+): (.*)$`)
var notFoundRE = lazyre.New(`field (\S+) not found in type (\S+)`)

// Decode parses data strictly into v and returns the document's root node
// (for line lookups). fieldHelp maps a Go type name (e.g. "rules.Rule") to
// the words that tell an author which fields that section accepts.
//
// The text is parsed once: unknown fields are found by walking the node
// tree against v's yaml tags, then v is decoded from the nodes.
func Decode(file string, data []byte, v any, fieldHelp map[string]string) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, convert(file, nil, err, fieldHelp)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: file, Msg: ErrEmpty.Error(), Err: ErrEmpty}
	}
	doc := root.Content[0]
	if errs := unknownFields(file, doc, reflect.TypeOf(v), fieldHelp); len(errs) > 0 {
		for _, err := range errs {
			if e, ok := err.(*Error); ok && e.Err == errNotText {
				if key := keyAt(doc, e.Line, ""); key != "" {
					e.Msg = key + ": " + e.Msg
				}
			}
		}
		return nil, errors.Join(errs...)
	}
	if err := doc.Decode(v); err != nil {
		return nil, convert(file, doc, err, fieldHelp)
	}
	return doc, nil
}

// unknownFields reports mapping keys that name no field of t.
func unknownFields(file string, n *yaml.Node, t reflect.Type, fieldHelp map[string]string) []error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var errs []error
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // a type error, which Decode reports with its line
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			fields[name] = f.Type
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			ft, ok := fields[key]
			if !ok {
				msg := "unknown field " + key
				if h, ok := fieldHelp[t.String()]; ok {
					msg += " (" + h + ")"
				}
				errs = append(errs, &Error{File: file, Line: n.Content[i].Line, Msg: msg})
				continue
			}
			errs = append(errs, unknownFields(file, n.Content[i+1], ft, fieldHelp)...)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, item := range n.Content {
				errs = append(errs, unknownFields(file, item, t.Elem(), fieldHelp)...)
			}
		}
	case reflect.String:
		// go-yaml turns a number or a boolean into a string field's text
		// without a word: `allow_paths: [1, 2]` would be two globs nobody
		// meant. A string field takes a string (or nothing).
		if n.Kind == yaml.ScalarNode && n.Tag != "!!str" && n.Tag != "!!null" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			errs = append(errs, &Error{File: file, Line: n.Line, Err: errNotText,
				Msg: "want text, not a " + scalarKind(n.Tag) + " (quote it if it is meant as text; the value is not shown)"})
		}
	}
	return errs
}

// errNotText marks a number or boolean given to a string field.
var errNotText = errors.New("not text")

func scalarKind(tag string) string {
	switch tag {
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	case "!!timestamp":
		return "timestamp"
	}
	return strings.TrimPrefix(tag, "!!") + " value"
}

// unmarshalRE is go-yaml's type error, which quotes the first characters
// of the value: "cannot unmarshal !!str `hunter2...` into []string".
var unmarshalRE = lazyre.New(`^cannot unmarshal (\S+)(?: .*?)? into ([^ ]+)$`)

// quotedRE is any other quoted text in a YAML error (an anchor's name, a
// character): the file's content, which an error must not echo.
var quotedRE = lazyre.New("`[^`]*`|'[^']*'|\"[^\"]*\"")

// withoutValue rewrites a go-yaml message so it holds no text of the file:
// a configuration may hold a secret pasted in the wrong place, and errors
// are printed and logged.
func withoutValue(msg string) string {
	if m := unmarshalRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("cannot unmarshal a %s value into %s (the value is not shown)", m[1], m[2])
	}
	if strings.HasPrefix(msg, "cannot unmarshal ") {
		return "a value has the wrong type (the value is not shown)"
	}
	return quotedRE.ReplaceAllString(msg, "(text not shown)")
}

// keyAt names the mapping key whose value is at line (dotted, with list
// indexes: rotate.compose_argv[1]), for an error that must not show the
// value itself.
func keyAt(n *yaml.Node, line int, prefix string) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if k := keyAt(c, line, prefix); k != "" {
				return k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			name := n.Content[i].Value
			if prefix != "" {
				name = prefix + "." + name
			}
			if n.Content[i].Line == line {
				return name
			}
			if k := keyAt(n.Content[i+1], line, name); k != "" {
				return k
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			name := fmt.Sprintf("%s[%d]", prefix, i)
			if k := keyAt(c, line, name); k != "" {
				return k
			}
			if c.Line == line {
				return name
			}
		}
	}
	return ""
}

// Line returns the line of the node at path in a decoded document: map
// keys as strings, list indexes as ints. When the path is not there, it
// returns the line of its deepest part that is (the document's, at worst).
func Line(doc *yaml.Node, path ...any) int {
	n := doc
	for _, p := range path {
		next := child(n, p)
		if next == nil {
			break
		}
		n = next
	}
	return n.Line
}

// Lookup is the line of the node at path in doc, and whether the
// document holds it (Line falls back to the deepest node it has).
func Lookup(doc *yaml.Node, path ...any) (int, bool) {
	n := doc
	for _, p := range path {
		if n = child(n, p); n == nil {
			return 0, false
		}
	}
	return n.Line, true
}

func child(n *yaml.Node, p any) *yaml.Node {
	switch k := p.(type) {
	case string:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				return n.Content[i+1]
			}
		}
	case int:
		if n.Kind == yaml.SequenceNode && k >= 0 && k < len(n.Content) {
			return n.Content[k]
		}
	}
	return nil
}

func convert(file string, doc *yaml.Node, err error, fieldHelp map[string]string) error {
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
		} else {
			e.Msg = withoutValue(e.Msg)
			if doc != nil && e.Line > 0 {
				if key := keyAt(doc, e.Line, ""); key != "" {
					e.Msg = key + ": " + e.Msg
				}
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}
