package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"docs/plain.md", "docs/plain.md"},
		{"docs/café.md", "docs/café.md"},
		{"a\x1b[2Kb", `a\x1b[2Kb`},
		{"a\rb\nc\td", `a\rb\nc\td`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"c1\u009bcsi", `c1\u009bcsi`},
		{"rtl\u202eevil\u2066", `rtl\u202eevil\u2066`},
		{"line\u2028sep", `line\u2028sep`},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Escape(tt.in), "%q", tt.in)
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"env/.env", "env/.env"},
		{"my keys/id_rsa", `'my keys/id_rsa'`},
		{"it's.pem", `'it'\''s.pem'`},
		{"$(rm -rf ~).pem", `'$(rm -rf ~).pem'`},
		{"a\x1b'b\\.pem", `$'a\x1b\'b\\.pem'`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, shellQuote(tt.in), "%q", tt.in)
	}
}

// A file name in the Markdown job summary stays text: no link, image, HTML
// or table cell of its own, and no line break.
func TestMarkdownKeepsNamesText(t *testing.T) {
	r := &Report{Status: StatusError, Summary: Summary{BySeverity: map[string]int{}},
		Errors:   []string{"docs/[click](https://evil.invalid) <img src=x>\n## forged: permission denied"},
		Findings: []Finding{{RuleID: "bot-password", Severity: "high", Path: "docs/a|b`c\n.md", Line: 3, SecretMasked: "****Reef"}}}
	md := Markdown(r)
	assert.Contains(t, md, `- error: docs/\[click\](https://evil.invalid) \<img src=x\>\\n## forged: permission denied`)
	assert.Contains(t, md, "| `docs/a\\|b'c\\n.md:3` |")
	for _, line := range strings.Split(md, "\n") {
		assert.False(t, strings.HasPrefix(line, "## forged"), line)
	}
}

// EscapeJSON spells the runes encoding/json leaves raw as \u escapes; the
// document still decodes to the same value.
func TestEscapeJSON(t *testing.T) {
	in := map[string]string{"path": "docs/rtl\u202egpj.md", "c1": "a\u009b31m", "plain": "café\x1b"}
	data, err := json.Marshal(in)
	require.NoError(t, err)
	out := EscapeJSON(data)
	assert.NotContains(t, string(out), "\u202e")
	assert.NotContains(t, string(out), "\u009b")
	assert.Contains(t, string(out), `docs/rtl\u202egpj.md`)
	var back map[string]string
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, in, back)
}
