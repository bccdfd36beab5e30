package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/rules"
)

// The committed schemas are what the Go types generate.
func TestSchemasInSync(t *testing.T) {
	files, err := Generate()
	require.NoError(t, err)
	require.Len(t, files, 3)
	for name, want := range files {
		got, err := os.ReadFile(name)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s is stale: run go generate ./schema", name)
	}
}

func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(URLBase+name, doc))
	s, err := c.Compile(URLBase + name)
	require.NoError(t, err)
	return s
}

// instance turns YAML into the JSON value a YAML language server checks.
func instance(t *testing.T, text string) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(text), &v))
	data, err := json.Marshal(v)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	return inst
}

var (
	yamlBlockRE = regexp.MustCompile("(?s)```yaml\n(.*?)```")
	modelineRE  = regexp.MustCompile(`^# yaml-language-server: \$schema=(\S+)\n`)
)

// Every README YAML example that names a schema validates against it, and
// keygate itself loads it: the schema and the loader agree.
func TestREADMEExamplesValidate(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	schemas := map[string]*jsonschema.Schema{ConfigFile: compile(t, ConfigFile), RulePackFile: compile(t, RulePackFile)}
	seen := map[string]int{}
	for _, m := range yamlBlockRE.FindAllStringSubmatch(string(readme), -1) {
		block := m[1]
		ml := modelineRE.FindStringSubmatch(block)
		if ml == nil {
			// Only other tools' files (a pre-commit config, a workflow)
			// may go without: every keygate example names its schema.
			var top map[string]any
			require.NoError(t, yaml.Unmarshal([]byte(block), &top))
			_, precommit := top["repos"]
			_, workflow := top["jobs"]
			assert.True(t, precommit || workflow, "README YAML example without a schema line:\n%s", block)
			continue
		}
		require.True(t, strings.HasPrefix(ml[1], URLBase), "README names a schema outside %s: %s", URLBase, ml[1])
		name := strings.TrimPrefix(ml[1], URLBase)
		s, ok := schemas[name]
		require.True(t, ok, "README names an unknown schema %s", name)
		seen[name]++
		assert.NoError(t, s.Validate(instance(t, block)), "README example:\n%s", block)
		switch name {
		case ConfigFile:
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, config.FileName), []byte(block), 0o644))
			_, err := config.Load(dir)
			assert.NoError(t, err, "keygate rejects a README config example")
		case RulePackFile:
			_, err := rules.Parse("README.md", []byte(block))
			assert.NoError(t, err, "keygate rejects a README pack example")
		}
	}
	assert.Equal(t, 4, seen[ConfigFile], "README's config, rotate and the two exchanges examples")
	assert.Equal(t, 1, seen[RulePackFile], "README's rule pack example")
}

// The default pack's files (what package rules embeds) are valid packs by
// the schema too.
func TestDefaultPackValidates(t *testing.T) {
	s := compile(t, RulePackFile)
	fams, err := filepath.Glob("../rules/families/*.yaml")
	require.NoError(t, err)
	assert.NotEmpty(t, fams)
	for _, name := range append([]string{"../rules/default.yaml"}, fams...) {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		assert.NoError(t, s.Validate(instance(t, string(data))), name)
	}
}

// The schemas reject what keygate rejects, so an editor flags it.
func TestSchemasReject(t *testing.T) {
	cfg, pack := compile(t, ConfigFile), compile(t, RulePackFile)
	const rule = "name: x\nrules:\n  - id: ops-token\n    severity: high\n    keywords: [k]\n    pattern: k\n    examples: [k]\n"
	tests := []struct {
		name   string
		schema *jsonschema.Schema
		yaml   string
	}{
		{"config unknown field", cfg, "scope: [docs/**]\n"},
		{"config wrong type", cfg, "scopes: docs/**\n"},
		{"rotate unknown field", cfg, "rotate:\n  timout: 5m\n"},
		{"pack unknown field", pack, rule + "colour: red\n"},
		{"rule unknown field", pack, rule + "    colour: red\n"},
		{"bad severity", pack, strings.Replace(rule, "high", "urgent", 1)},
		{"id not kebab-case", pack, strings.Replace(rule, "ops-token", "Ops_Token", 1)},
		{"rule without pattern", pack, strings.Replace(rule, "    pattern: k\n", "", 1)},
		{"entropy beyond 8", pack, rule + "    min_entropy: 9\n"},
		{"no keywords", pack, strings.Replace(rule, "keywords: [k]", "keywords: []", 1)},
		{"no examples", pack, strings.Replace(rule, "examples: [k]", "examples: []", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Error(t, tt.schema.Validate(instance(t, tt.yaml)))
		})
	}
	assert.NoError(t, pack.Validate(instance(t, rule)), "the base of the cases above is valid")
}

// latest.json as keygate writes it (the golden reports: every kind of
// finding, suppressed ones, a history) validates against its schema.
func TestReportsValidate(t *testing.T) {
	s := compile(t, ReportFile)
	names, err := filepath.Glob("../report/testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		f, err := os.Open(name)
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		require.NoError(t, err)
		assert.NoError(t, s.Validate(doc), name)
	}
	var bad any = map[string]any{"schema_version": 1}
	assert.Error(t, s.Validate(bad), "a report lacking its fields is refused")
}
