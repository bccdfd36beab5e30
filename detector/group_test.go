package detector

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A credential group's passphrase is judged with its key and secret, and
// judged again in every version: a key filled in above an unchanged
// passphrase line makes it a finding, as a whole scan of that version
// says.
func TestCredentialGroupAcrossVersions(t *testing.T) {
	d := defaultDetector(t)
	block := func(key, secret string) string {
		return "{\n  \"exchange\": {\n    \"name\": \"bitget\",\n    \"key\": \"" + key + "\",\n    \"secret\": \"" + secret +
			"\",\n    \"password\": \"harborTide84\"\n  }\n}\n"
	}
	empty := block("your_exchange_key", "your_exchange_secret")
	live := block("Zq8Ws7kQ2xSynth9Vd4Tp1Nh", "9c2e71fa04b8d35e6a1f0c97d2b4e8a1Synth")

	v1, err := d.ScanVersion([]byte(empty), "config.json", nil)
	require.NoError(t, err)
	assert.Empty(t, v1.Findings, "a word passphrase beside placeholders is no finding")

	v2, err := d.ScanVersion([]byte(live), "config.json", v1)
	require.NoError(t, err)
	whole, err := d.Scan([]byte(live), "config.json")
	require.NoError(t, err)
	assert.Equal(t, whole, v2.Findings, "the version scan agrees with a whole scan")
	var group []Finding
	for _, f := range whole {
		if f.RuleID == "exchange-credential-group" {
			group = append(group, f)
		}
	}
	require.Len(t, group, 1)
	assert.Equal(t, "harborTide84", group[0].Secret)
	assert.Equal(t, 6, group[0].Line)

	v3, err := d.ScanVersion([]byte(empty), "config.json", v2)
	require.NoError(t, err)
	assert.Empty(t, v3.Findings, "and quiet again when the key is gone")
}

func TestGroupBounds(t *testing.T) {
	for _, c := range []struct{ text, at, want string }{
		{`x = f({"a": 1, "password": "p"}) + g(1)`, `"p"`, `{"a": 1, "password": "p"}`},
		{"bots:\n  bot1:\n    key: k\n    passphrase: p\n  bot2:\n    key: q\n", "p\n  bot2", "    key: k\n    passphrase: p"},
		{"A=1\nB=2\n\nC=3\n", "2", "A=1\nB=2"},
	} {
		at := strings.Index(c.text, c.at)
		require.GreaterOrEqual(t, at, 0)
		s, e := groupBounds(newTextLines([]byte(c.text)), at)
		assert.Equal(t, c.want, c.text[s:e], c.text)
	}
}

// A key and a secret that are hyphenated phrases (a test's
// `dsl-integration-api-key`) are no key material, as symbolic says of a
// generic value: the passphrase beside them is no finding. Key material of
// that length is.
func TestGroupOfPhrasesIsQuiet(t *testing.T) {
	d := defaultDetector(t)
	text := `fake_api_key = "dsl-integration-api-key"
fake_api_secret = "dsl-integration-api-secret"
fake_api_password = "dsl-integration-api-password"
auth = {"api_key": fake_api_key, "api_secret": fake_api_secret, "api_password": fake_api_password}
`
	fs, err := d.Scan([]byte(text), "tests/test_ops.py")
	require.NoError(t, err)
	assert.Empty(t, fs)

	for v, want := range map[string]bool{
		"dsl-integration-api-key": false, "bitget_sub_account.key": false,
		"Zq8Ws7kQ2xSynth9Vd4Tp1Nh": true, "9c2e71fa04b8d35e6a1f0c97d2b4e8a1Synth": true,
	} {
		buf := []byte(v)
		assert.Equal(t, want, d.keyMaterial(buf, 0, len(buf)), v)
	}
}
