package gitleaksignore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const commitA = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
const commitB = "1111111111111111111111111111111111111111"

func TestMatch(t *testing.T) {
	l, err := Parse(".gitleaksignore", []byte(`# reviewed 2026-11
docs/a.md:generic-api-key:3

`+commitA+`:reports/run.json:aws-access-token:12
C:\odd:name.md:some-rule:4
./notes/b.md:stripe:9
`))
	require.NoError(t, err)
	require.Equal(t, 4, l.Len())
	tests := []struct {
		name   string
		commit string
		path   string
		rule   string
		line   int
		want   bool
	}{
		{"tree entry, tree finding", "", "docs/a.md", "generic-secret-assignment", 3, true},
		{"tree entry, any commit", commitB, "docs/a.md", "generic-secret-assignment", 3, true},
		{"tree entry, another rule's finding", "", "docs/a.md", "bitget-api-secret", 3, false},
		{"tree entry, other line", "", "docs/a.md", "generic-secret-assignment", 4, false},
		{"tree entry, other path", "", "docs/b.md", "generic-secret-assignment", 3, false},
		{"commit entry, its commit", commitA, "reports/run.json", "aws-access-key-id", 12, true},
		{"commit entry, upper-case commit", "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C", "reports/run.json", "aws-access-key-id", 12, true},
		{"commit entry, other commit", commitB, "reports/run.json", "aws-access-key-id", 12, false},
		{"commit entry, working tree", "", "reports/run.json", "aws-access-key-id", 12, false},
		{"path with a colon, its own id", "", "C:/odd:name.md", "some-rule", 4, true},
		{"leading ./ is cleaned", "", "notes/b.md", "stripe", 9, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, l.Match(tt.commit, tt.path, tt.rule, tt.line))
		})
	}
	known := func(id string) bool { return id == "generic-secret-assignment" || id == "aws-access-key-id" }
	var unknown []string
	unused, err := l.Unknown(known)
	require.NoError(t, err)
	for _, e := range unused {
		unknown = append(unknown, e.RuleID)
	}
	assert.Equal(t, []string{"some-rule", "stripe"}, unknown, "mapped gitleaks ids are known")
	assert.Equal(t, Entry{Commit: commitA, Path: "reports/run.json", RuleID: "aws-access-token", Line: 12, At: 4}, allEntries(t, l)[1])
}

func TestNilListMatchesNothing(t *testing.T) {
	var l *List
	assert.False(t, l.Match("", "docs/a.md", "r", 1))
	unused, err := l.Unknown(func(string) bool { return false })
	require.NoError(t, err)
	assert.Empty(t, unused)
	require.NoError(t, l.Close())
	l, err = Load(filepath.Join(t.TempDir(), FileName))
	require.NoError(t, err)
	assert.Nil(t, l)
}

// Bad entries are errors naming file:line, and never echo the entry.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no colon", "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0", "ig:1: want path:rule:line"},
		{"no line number", "docs/a.md:rule:x", "ig:1: the last field must be a line number"},
		{"line zero", "docs/a.md:rule:0", "ig:1: the last field must be a line number"},
		{"no rule", "docs/a.md:7", "ig:1: no rule id"},
		{"empty rule", "docs/a.md::7", "ig:1: no rule id"},
		{"no path", commitA + "::rule:7", "ig:1: no path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("ig", []byte(tt.text+"\n"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "bg_0f1e")
		})
	}
	_, err := Parse("ig", []byte("docs/a.md:r:1\nbad\n\nalso bad\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ig:2:")
	assert.Contains(t, err.Error(), "ig:4:")
}

func TestLoadUnreadable(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, FileName), 0o755))
	_, err := Load(filepath.Join(dir, FileName))
	require.Error(t, err)
}
