package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default pack is default.yaml plus every family file: 200+ unique
// rule ids, each with a family and at least two examples and two negative
// examples, family rules ahead of default.yaml's.
func TestDefaultPackFamilies(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(p.Rules), 200)
	names, err := fs.Glob(builtin, "families/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	assert.Len(t, p.Sources, 1+len(names))
	assert.Equal(t, DefaultName, p.Sources[0])

	ids := map[string]bool{}
	families := map[string]int{}
	for _, r := range p.Rules {
		assert.False(t, ids[r.ID], "duplicate id %s", r.ID)
		ids[r.ID] = true
		assert.Regexp(t, `^[a-z0-9]+(?:-[a-z0-9]+)*$`, r.ID)
		assert.NotEmpty(t, r.Family, "rule %s has no family", r.ID)
		families[r.Family]++
		assert.GreaterOrEqual(t, len(r.Examples), 2, "rule %s needs 2 examples", r.ID)
		assert.GreaterOrEqual(t, len(r.NegativeExamples), 2, "rule %s needs 2 negative examples", r.ID)
	}
	for _, f := range []string{"ai", "vcs", "cloud", "chat", "payments", "exchanges", "wallets", "core"} {
		assert.Positive(t, families[f], "family %s", f)
	}
	// Provider formats rank above default.yaml's context and generic rules.
	last := p.Rules[len(p.Rules)-1]
	assert.Equal(t, DefaultName, last.File)
	assert.NotEqual(t, DefaultName, p.Rules[0].File)
}

// The pack digest chains every embedded file in order, so a change to any
// family file changes the sha256 reports carry.
func TestDefaultPackDigestCoversFamilies(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	var digest []byte
	for i, src := range p.Sources {
		name := src[len(builtinPrefix):]
		data, err := builtin.ReadFile(name)
		require.NoError(t, err, src)
		h := sha256.New()
		if i > 0 {
			h.Write(digest)
		}
		h.Write(data)
		digest = h.Sum(nil)
	}
	assert.Equal(t, hex.EncodeToString(digest), p.SHA256)

	def, err := builtin.ReadFile("default.yaml")
	require.NoError(t, err)
	alone, err := Parse(DefaultName, def)
	require.NoError(t, err)
	assert.NotEqual(t, alone.SHA256, p.SHA256)
}

const famRule = `  - id: %s
    severity: high
    keywords: ["k"]
    pattern: '(k)'
    secret_group: 1
    examples: [k]
`

func TestAssembleFamilies(t *testing.T) {
	base := "name: keygate-default\nfamily: core\nrules:\n" + sprintf(famRule, "a")
	t.Run("families merge ahead of the default rules", func(t *testing.T) {
		p, err := assemble(fstest.MapFS{
			"default.yaml":      {Data: []byte(base)},
			"families/x.yaml":   {Data: []byte("name: x\nfamily: xfam\nrules:\n" + sprintf(famRule, "b"))},
			"families/y.yaml":   {Data: []byte("name: y\nrules:\n" + sprintf(famRule, "c") + "    family: own\n")},
			"families/notes.md": {Data: []byte("ignored")},
		})
		require.NoError(t, err)
		var got []string
		for _, r := range p.Rules {
			got = append(got, r.ID+":"+r.Family)
		}
		assert.Equal(t, []string{"b:xfam", "c:own", "a:core"}, got)
		assert.Equal(t, []string{DefaultName, "builtin:rules/families/x.yaml", "builtin:rules/families/y.yaml"}, p.Sources)
	})
	t.Run("an id defined twice is an error naming both places", func(t *testing.T) {
		_, err := assemble(fstest.MapFS{
			"default.yaml":    {Data: []byte(base)},
			"families/x.yaml": {Data: []byte("name: x\nrules:\n" + sprintf(famRule, "a"))},
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "builtin:rules/families/x.yaml:3:")
		assert.Contains(t, err.Error(), `rule "a": duplicate id (first defined at builtin:rules/default.yaml:4)`)
	})
	t.Run("a broken family file names its line", func(t *testing.T) {
		_, err := assemble(fstest.MapFS{
			"default.yaml":    {Data: []byte(base)},
			"families/x.yaml": {Data: []byte("name: x\nrules:\n  - id: b\n    colour: red\n")},
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "builtin:rules/families/x.yaml:4:")
	})
}

func TestFamilyAndChecksumValidation(t *testing.T) {
	tests := []struct {
		name, extra string
		want        []string
	}{
		{"bad family", "    family: Not Kebab\n", []string{"p.yaml:3:", `family "Not Kebab" must be kebab-case`}},
		{"unknown checksum", "    checksum: luhn\n", []string{"p.yaml:3:", `checksum "luhn": must be one of crc32-base62, bip39, bip39-whole, base58check, pem, jwt`}},
		{"unknown prefilter", "    prefilter: words\n", []string{"p.yaml:3:", `prefilter "words": must be empty or "word-run"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte("name: x\nrules:\n"+sprintf(famRule, "a")+tt.extra))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	p, err := Parse("p.yaml", []byte("name: x\nfamily: ops\nrules:\n"+sprintf(famRule, "a")+"    checksum: crc32-base62\n"))
	require.NoError(t, err)
	assert.Equal(t, "ops", p.Rules[0].Family)
	assert.Equal(t, ChecksumCRC32Base62, p.Rules[0].Checksum)
	p, err = Parse("p.yaml", []byte("name: x\nrules:\n"+sprintf(famRule, "a")+"    checksum: pem\n    prefilter: word-run\n"))
	require.NoError(t, err)
	assert.Equal(t, ChecksumPEM, p.Rules[0].Checksum)
	assert.Equal(t, PrefilterWordRun, p.Rules[0].Prefilter)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
