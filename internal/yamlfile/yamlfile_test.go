package yamlfile

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Name string `yaml:"name"`
}

type doc struct {
	Scopes []string `yaml:"scopes"`
	Items  []inner  `yaml:"items"`
	Count  int      `yaml:"count"`
}

// Every problem names the file and the line, unknown fields included,
// with the section's help when there is one.
func TestDecodeErrorsNameFileAndLine(t *testing.T) {
	help := map[string]string{"yamlfile.inner": "an item has: name"}
	cases := []struct {
		name, text string
		line       int
		contains   string
	}{
		{"unknown top-level field", "scopes: [a]\nscope: [b]\n", 2, "unknown field scope"},
		{"unknown nested field", "items:\n  - name: x\n  - nmae: y\n", 3, "an item has: name"},
		{"wrong type", "scopes: [a]\ncount: many\n", 2, ""},
		{"syntax error", "scopes: [a\n", 1, ""},
		{"empty file", "", 0, "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			_, err := Decode("cfg.yaml", []byte(c.text), &d, help)
			require.Error(t, err)
			var ye *Error
			require.True(t, errors.As(err, &ye), "%v", err)
			assert.Equal(t, "cfg.yaml", ye.File)
			if c.line > 0 {
				assert.Equal(t, c.line, ye.Line, "%v", err)
			}
			assert.Contains(t, err.Error(), c.contains)
		})
	}
}

func TestDecode(t *testing.T) {
	var d doc
	root, err := Decode("cfg.yaml", []byte("scopes: [docs/**]\nitems:\n  - name: a\ncount: 2\n"), &d, nil)
	require.NoError(t, err)
	assert.Equal(t, doc{Scopes: []string{"docs/**"}, Items: []inner{{"a"}}, Count: 2}, d)
	require.NotNil(t, root)
}
