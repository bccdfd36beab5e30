package detector

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// tfSensitive reads forward from a member name to its instance's
// sensitive_attributes: every cut of a state (a string left open at the
// end of the text, as in a minified JavaScript bundle holding a JSON
// grammar with an "attributes" member) is read without going past the
// text, and a cut before the list is complete marks nothing.
func TestTerraformSensitiveCutText(t *testing.T) {
	state := `{"type":"aws_db_instance","instances":[{"attributes":{"password":"q8Zr2LmX9vT4pW7sSynth0Kd3"},"sensitive_attributes":[[{"type":"get_attr","value":"password"}]]}]}`
	end := len(`{"type":"aws_db_instance","instances":[{"attributes":{"password`)
	assert.True(t, tfSensitive([]byte(state), end, "password"))
	listed := strings.Index(state, `"password"}]`)
	for n := end; n < len(state); n++ {
		assert.NotPanics(t, func() { tfSensitive([]byte(state[:n]), end, "password") }, "cut at %d", n)
		if n <= listed {
			assert.False(t, tfSensitive([]byte(state[:n]), end, "password"), "cut at %d", n)
		}
	}
	// A closed object, then a string open to the end of the text.
	grammar := []byte(`{"attributes":{"patterns":"Zq8Ws7kQ2xSynth9Vd4Tp1Nh"}},{"include":"#attributes`)
	assert.NotPanics(t, func() { tfSensitive(grammar, len(`{"attributes":{"patterns`), "patterns") })
	d := defaultDetector(t)
	assert.NotPanics(t, func() {
		_, err := d.ScanVersion(grammar, "jesse/static/_nuxt/grammar.js", nil)
		assert.NoError(t, err)
	})
}
