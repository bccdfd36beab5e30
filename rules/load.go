package rules

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/yamlfile"
)

// builtin holds default.yaml and the provider rule families
// (families/*.yaml, one file each) that are merged into the default pack.
//
//go:embed default.yaml families/*.yaml
var builtin embed.FS

// DefaultName is the source name reported for the embedded pack's main file.
const DefaultName = "builtin:rules/default.yaml"

// builtinPrefix starts the source name of every embedded file.
const builtinPrefix = "builtin:rules/"

// Default returns the embedded default pack: the rules of every family file
// (rules/families/*.yaml, in name order), then those of default.yaml. The
// provider formats come first so that, where a context or generic rule of
// default.yaml finds the same secret, the provider's rule reports it. The
// pack's SHA256 covers every embedded file. It is validated by tests, so an
// error here means a broken build, not bad user input.
func Default() (*Pack, error) {
	defaultOnce.Do(func() {
		if defaultPack = generatedDefault(builtin); defaultPack == nil {
			defaultPack, defaultErr = assemble(builtin)
		}
	})
	if defaultErr != nil {
		return nil, defaultErr
	}
	return defaultPack.clone(), nil
}

// The default pack is assembled once a process (parsing its YAML was most
// of a start-up, and a library or test building many detectors paid it
// each time); Default hands out copies, which callers may change.
var (
	defaultOnce sync.Once
	defaultPack *Pack
	defaultErr  error
)

// assemble builds the default pack from fsys's default.yaml and
// families/*.yaml. A rule id defined twice across the files is an error.
func assemble(fsys fs.FS) (*Pack, error) {
	names, err := fs.Glob(fsys, "families/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("embedded rule families: %w", err)
	}
	// The files parse concurrently (only when the generated pack is stale:
	// see generated.go).
	names = append([]string{"default.yaml"}, names...)
	packs := make([]*Pack, len(names))
	datas := make([][]byte, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			datas[i], errs[i] = fs.ReadFile(fsys, n)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("embedded rule pack %s: %w", n, errs[i])
				return
			}
			packs[i], errs[i] = Parse(builtinPrefix+n, datas[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	base := packs[0]
	out := *base
	out.Rules = nil
	seen := map[string]*Rule{}
	for i := range base.Rules {
		seen[base.Rules[i].ID] = &base.Rules[i]
	}
	for i, fp := range packs[1:] {
		for j := range fp.Rules {
			r := &fp.Rules[j]
			if prev, dup := seen[r.ID]; dup {
				return nil, &Error{File: r.File, Line: r.Line,
					Msg: fmt.Sprintf("rule %q: duplicate id (first defined at %s:%d)", r.ID, prev.File, prev.Line)}
			}
			seen[r.ID] = r
		}
		out.Rules = append(out.Rules, fp.Rules...)
		out.Allow.Placeholders = append(out.Allow.Placeholders, fp.Allow.Placeholders...)
		out.Allow.Paths = append(out.Allow.Paths, fp.Allow.Paths...)
		out.addSource(builtinPrefix+names[i+1], datas[i+1])
	}
	out.Rules = append(out.Rules, base.Rules...)
	return &out, nil
}

// Load reads and validates the pack at path.
func Load(path string) (*Pack, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load rules %s: %w", path, err)
	}
	return decodePack(path, data)
}

// LoadFS reads and validates the pack at path in fsys (a commit's tree,
// say); name is the file in errors.
func LoadFS(fsys fs.FS, path, name string) (*Pack, error) {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("load rules %s: %w", name, err)
	}
	return decodePack(name, data)
}

// decodePack parses a pack in the format its name says (YAML unless a
// decoder is registered for the extension).
func decodePack(path string, data []byte) (*Pack, error) {
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
	"rules.Rule":  "a rule has id, description, family, severity, keywords, pattern, secret_group, min_entropy, checksum, verify, paths, allow, allow_paths, examples, negative_examples, help, override",
	"rules.Pack":  "a pack has name, version, family, rules, allow",
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
		if p.Rules[i].Family == "" {
			p.Rules[i].Family = p.Family
		}
		if i < len(lines) {
			p.Rules[i].Line = lines[i]
		}
	}
	if err := joinErrs([]error{p.validate(name, doc.Line), p.refuseAllowAll(name, doc)}); err != nil {
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

// joinErrs joins the errors that are not nil (nil when none is).
func joinErrs(errs []error) error { return errors.Join(errs...) }
