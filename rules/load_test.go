package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodRule = `name: extra
version: "1"
rules:
  - id: ops-token
    description: ops token
    severity: high
    keywords: ["opstok_"]
    pattern: '\b(opstok_[a-z0-9]{12})\b'
    secret_group: 1
    examples: ["opstok_abcdef123456"]
`

func TestDefaultPackLoads(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	assert.Equal(t, "keygate-default", p.Name)
	assert.NotEmpty(t, p.SHA256)
	assert.GreaterOrEqual(t, len(p.Rules), 200)
	for _, r := range p.Rules {
		assert.NotEmpty(t, r.NegativeExamples, "rule %s needs negative examples", r.ID)
		assert.NotEmpty(t, r.Help, "rule %s needs help", r.ID)
		assert.Positive(t, r.Line, "rule %s has a line", r.ID)
	}
}

// Each bad pack is an error that names the file and the line to fix.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"malformed yaml", "name: x\nrules:\n  - id: a\n   bad: [\n", []string{"p.yaml:2:", "expected"}},
		{"unterminated quote", "name: x\nversion: \"1\nrules: []\n", []string{"p.yaml:2:"}},
		{"unknown field", goodRule + "    colour: red\n", []string{"p.yaml:11:", "unknown field colour (a rule has id,"}},
		{"unknown pack field", "nmae: x\n" + goodRule, []string{"p.yaml:1:", "unknown field nmae (a pack has name"}},
		{"bad regex", `name: x
rules:
  - id: a
    severity: low
    keywords: [k]
    pattern: '(unclosed'
    examples: [k]
`, []string{"p.yaml:3:", `rule "a": bad pattern: missing closing )`}},
		{"duplicate id", goodRule + `  - id: ops-token
    severity: low
    keywords: [k]
    pattern: 'k'
    examples: [k]
`, []string{"p.yaml:11:", "duplicate id (first defined at line 4)"}},
		{"secret group beyond groups", `name: x
rules:
  - id: a
    severity: low
    keywords: [k]
    pattern: 'k(x)'
    secret_group: 2
    examples: [kx]
`, []string{"p.yaml:3:", "secret_group 2 is beyond the pattern's 1 group(s)"}},
		{"empty keywords", `name: x
rules:
  - id: a
    severity: low
    keywords: []
    pattern: 'k'
    examples: [k]
`, []string{"p.yaml:3:", "keywords is empty"}},
		{"bad severity and id", `name: x
rules:
  - id: Not_Kebab
    severity: urgent
    keywords: [k]
    pattern: 'k'
    examples: [k]
`, []string{"kebab-case", `severity "urgent"`}},
		{"wrong type", "name: x\nrules: 5\n", []string{"p.yaml:2:"}},
		{"empty file", "", []string{"p.yaml: the file is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.yaml))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestMergeReplacesSameID(t *testing.T) {
	base, err := Default()
	require.NoError(t, err)
	extra, err := Parse("extra.yaml", []byte(goodRule+`  - id: bitget-api-key
    description: replaced
    severity: low
    keywords: ["bg_"]
    pattern: '(bg_[0-9a-f]{32})'
    secret_group: 1
    examples: ["bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"]
`))
	require.NoError(t, err)
	m := base.Merge(extra)
	assert.Len(t, m.Rules, len(base.Rules)+1)
	assert.Equal(t, "replaced", m.Rule("bitget-api-key").Description)
	assert.Equal(t, "extra.yaml", m.Rule("bitget-api-key").File)
	assert.Equal(t, "ops-token", m.Rules[len(m.Rules)-1].ID)
	assert.NotEqual(t, base.SHA256, m.SHA256)
	assert.Equal(t, append(append([]string(nil), base.Sources...), "extra.yaml"), m.Sources)
	// The base pack is untouched.
	assert.Equal(t, "Bitget exchange API key", base.Rule("bitget-api-key").Description)
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope.yaml")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// Default assembles the pack once and hands out copies: a caller changing
// its copy (merging extra rules, editing one) never changes the next.
func TestDefaultHandsOutIndependentCopies(t *testing.T) {
	a, err := Default()
	require.NoError(t, err)
	b, err := Default()
	require.NoError(t, err)
	require.Equal(t, a, b)
	a.Rules[0].Keywords[0] = "changed"
	a.Rules[0].Examples = append(a.Rules[0].Examples[:0], "changed")
	a.Rules = append(a.Rules, Rule{ID: "extra"})
	a.Allow.Placeholders[0] = "changed"
	c, err := Default()
	require.NoError(t, err)
	assert.Equal(t, b, c)
	assert.NotEqual(t, "changed", c.Rules[0].Keywords[0])
	// A copy's lists share one array, each capped: appending to one
	// leaves its neighbours in the copy as they were.
	next := slices.Clone(c.Rules[1].Keywords)
	c.Rules[0].Keywords = append(c.Rules[0].Keywords, "appended")
	c.Rules[0].NegativeExamples = append(c.Rules[0].NegativeExamples, "appended")
	assert.Equal(t, next, c.Rules[1].Keywords)
	assert.Equal(t, b.Rules[0].Help, c.Rules[0].Help)
	assert.NotContains(t, c.Rules[1].Keywords, "appended")
	assert.NotContains(t, c.Rules[0].Paths, "appended")
	c.Rules[0].Scope.SpansLines = !c.Rules[0].Scope.SpansLines
	assert.Equal(t, *b.Rules[1].Scope, *c.Rules[1].Scope)
	assert.NotEqual(t, *b.Rules[0].Scope, *c.Rules[0].Scope)
	c, err = Default()
	require.NoError(t, err)
	// Every slice and pointer of a copy is its own, including fields
	// added after this test was written.
	shared := sharedMemory(reflect.ValueOf(b).Elem(), reflect.ValueOf(c).Elem(), "Pack")
	slices.Sort(shared)
	assert.Empty(t, slices.Compact(shared), "memory shared between two copies of the default pack")
}

// sharedMemory lists the slices, pointers and maps that a and b, two values
// of one type, share, by their path (elements of a slice as path[]).
func sharedMemory(a, b reflect.Value, path string) []string {
	var out []string
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			out = append(out, path)
		}
		for i := 0; i < min(a.Len(), b.Len()); i++ {
			out = append(out, sharedMemory(a.Index(i), b.Index(i), path+"[]")...)
		}
	case reflect.Pointer:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			out = append(out, path)
		}
		if !a.IsNil() && !b.IsNil() {
			out = append(out, sharedMemory(a.Elem(), b.Elem(), path)...)
		}
	case reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			out = append(out, path)
		}
	case reflect.Struct:
		for i := range a.NumField() {
			out = append(out, sharedMemory(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)...)
		}
	}
	return out
}
