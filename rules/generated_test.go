package rules

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The generated pack is what parsing the embedded YAML gives, field by
// field (its digest included).
func TestGeneratedPackEqualsParsed(t *testing.T) {
	gen := generatedDefault(builtin)
	require.NotNil(t, gen, "default_gen.go is stale: run go generate ./rules")
	parsed, err := assemble(builtin)
	require.NoError(t, err)
	assert.Equal(t, parsed, gen)
	def, err := Default()
	require.NoError(t, err)
	assert.Equal(t, parsed, def)
}

// copyFS is the embedded sources as a map, to edit.
func copyFS(t *testing.T) fstest.MapFS {
	m := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(builtin, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := builtin.ReadFile(path)
		m[path] = &fstest.MapFile{Data: data}
		return err
	}))
	return m
}

// An edited, added or removed source that was not regenerated turns the
// generated pack off: the YAML is parsed instead, so the pack is the
// edited one, only slower.
func TestGeneratedPackStaleSources(t *testing.T) {
	edit := func(m fstest.MapFS) {
		f := m["families/ai.yaml"]
		f.Data = append(append([]byte(nil), f.Data...), sprintf(famRule, "zz-added")...)
	}
	sameSize := func(m fstest.MapFS) {
		f := m["families/ai.yaml"]
		f.Data = append([]byte(nil), f.Data...)
		i := len(f.Data) - 2
		f.Data[i] ^= 1 // a changed character, same size
	}
	add := func(m fstest.MapFS) {
		m["families/zz.yaml"] = &fstest.MapFile{Data: []byte("name: zz\nfamily: zz\nrules:\n" + sprintf(famRule, "zz-added"))}
	}
	remove := func(m fstest.MapFS) { delete(m, "families/web3.yaml") }
	for name, change := range map[string]func(fstest.MapFS){"edited": edit, "same size": sameSize, "added": add, "removed": remove} {
		t.Run(name, func(t *testing.T) {
			m := copyFS(t)
			require.NotNil(t, generatedDefault(m), "unchanged sources use the generated pack")
			change(m)
			assert.Nil(t, generatedDefault(m))
		})
	}
	m := copyFS(t)
	add(m)
	p, err := assemble(m)
	require.NoError(t, err)
	assert.NotNil(t, p.Rule("zz-added"))
}
