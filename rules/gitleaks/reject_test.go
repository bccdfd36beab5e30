package gitleaks

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
)

const okRule = `[[rules]]
id = "ops-token"
regex = '''opsc_[a-z0-9]{8}'''
keywords = ["opsc_"]
`

// What keygate cannot express is an error naming file:line, never dropped.
func TestRejected(t *testing.T) {
	tests := []struct {
		name, toml string
		want       []string
	}{
		{"composite rule", okRule + "\n[[rules.required]]\nid = \"other\"\nwithinLines = 3\n",
			[]string{"g.toml:6:", "[[rules.required]] (a composite rule) cannot be expressed"}},
		{"regexTarget line", okRule + "[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''x''']\n",
			[]string{"g.toml:6:", `regexTarget = "line"`}},
		{"regexTarget match, global", okRule + "[allowlist]\nregexTarget = \"match\"\n",
			[]string{"g.toml:6:", `regexTarget = "match"`}},
		{"allowlist commits", okRule + "[[allowlists]]\ncommits = ['0f1e2d3c']\n",
			[]string{"g.toml:6:", "commits: a pack cannot allow commits"}},
		{"AND over two kinds", okRule + "[[rules.allowlists]]\ncondition = \"AND\"\npaths = ['''^a$''']\nstopwords = ['x']\n",
			[]string{"g.toml:6:", `condition = "AND"`}},
		{"rule allowlist table, commits", okRule + "\n[rules.allowlist]\ndescription = 'x'\ncommits = ['0f1e2d3c']\n",
			[]string{"g.toml:8:", "commits: a pack cannot allow commits"}},
		{"inline allowlists, regexTarget", okRule + "allowlists = [\n  {regexTarget = 'line', regexes = ['x']},\n]\n",
			[]string{"g.toml:5:", `regexTarget = "line"`}},
		{"skipReport", okRule + "skipReport = true\n", []string{"g.toml:5:", "skipReport"}},
		{"path-only rule", "[[rules]]\nid = \"pem\"\npath = '''\\.pem$'''\n",
			[]string{"g.toml:3:", "blocked_paths"}},
		{"path regex without a glob", okRule + "path = '''^src/.*/x\\.yml$'''\n",
			[]string{"g.toml:5:", "span directories"}},
		{"extend path", "[extend]\npath = \"base.toml\"\n" + okRule, []string{"g.toml:2:", "extend.path"}},
		{"disabledRules", "[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\"]\n" + okRule,
			[]string{"g.toml:3:", "cannot be turned off"}},
		{"targetRules of a default rule", okRule + "[[allowlists]]\ntargetRules = [\"aws-access-token\"]\nstopwords = ['x']\n",
			[]string{"g.toml:6:", `no rule "aws-access-token" in this file`}},
		{"unknown field", okRule + "colour = \"red\"\n", []string{"g.toml:5:", "unknown field rules.colour"}},
		{"syntax error", okRule + "regex = \n", []string{"g.toml:5:"}},
		{"no keywords", "title = \"t\"\n\n[[rules]]\nid = \"k\"\nregex = '''k_[a-z]{9}'''\n",
			[]string{"g.toml:3:", "keywords is empty"}},
		{"regex RE2 lacks", "[[rules]]\nid = \"k\"\nregex = '''k_(?=[a-z]{9})'''\nkeywords = ['k_']\n",
			[]string{"g.toml:1:", "bad pattern"}},
		{"bad id", "[[rules]]\nid = \"__\"\nregex = '''k_[a-z]{9}'''\nkeywords = ['k_']\n",
			[]string{"g.toml:1:", "rule has no id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "g.toml")
			require.NoError(t, os.WriteFile(path, []byte(tt.toml), 0o644))
			_, err := rules.Load(path)
			require.Error(t, err)
			for _, w := range tt.want {
				if len(w) > 7 && w[:7] == "g.toml:" {
					w = path + w[6:]
				}
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// An accepted minimal pack, for contrast with the rejections above.
func TestMinimalPackLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.toml")
	require.NoError(t, os.WriteFile(path, []byte("[extend]\nuseDefault = true\n"+okRule), 0o644))
	p, err := rules.Load(path)
	require.NoError(t, err)
	require.Len(t, p.Rules, 1)
	assert.Equal(t, "g", p.Name)
	assert.Equal(t, []string{path}, p.Sources)
}
