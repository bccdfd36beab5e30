package detector

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recall through the real scan path: every example of every rule in the
// default pack, scanned alone with the whole pack (prefilter, windows,
// overlap resolution, placeholders, checksums), gives a finding. MatchRule (what `keygate rules test` runs) tests one
// rule at a time; this catches a rule whose keyword never fires in a full
// scan or whose match another rule's placeholder or overlap swallows.
func TestDefaultPackRecall(t *testing.T) {
	d := defaultDetector(t)
	for _, r := range d.Pack().Rules {
		path := "notes.txt"
		if len(r.Paths) > 0 {
			// A path the rule's first glob accepts: config*.json -> configa.json.
			path = strings.NewReplacer("**/", "x/", "*", "a").Replace(r.Paths[0])
		}
		for i, ex := range r.Examples {
			fs, err := d.Scan([]byte(ex), path)
			require.NoError(t, err)
			found := false
			for _, f := range fs {
				if f.Allowed == "" {
					found = true
				}
			}
			assert.True(t, found, "rule %s (%s): example %d gives no finding", r.ID, r.Family, i)
		}
	}
}

// A rule whose pattern can span lines (or anchors on the text's edges)
// makes a history scan read every version of a file holding its keyword
// whole. Only the rules that must see a multi-line block may do so.
func TestDefaultPackLineLocal(t *testing.T) {
	multiline := map[string]bool{
		"private-key":                   true, // PEM blocks
		"ccxt-exchange-credentials":     true, // ccxt.x({ ... }) across lines
		"wallet-mnemonic-block":         true, // words a few lines under a heading
		"xml-secret-element":            true, // the element's text on its own line
		"terraform-sensitive-attribute": true, // a state attribute named by its instance's sensitive_attributes
	}
	d := defaultDetector(t)
	for _, c := range d.rules {
		assert.Equal(t, multiline[c.rule.ID], c.nonLocal, "rule %s", c.rule.ID)
	}
}
