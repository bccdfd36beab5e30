package scan

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/gitleaksignore"
)

// Unused entries are told per rule id: one entry as before, several with
// their count and first lines, and past maxUnusedRules ids only a count,
// so a file of millions of unknown entries gives a few warnings.
func TestUnusedEntriesAreGrouped(t *testing.T) {
	var u unusedEntries
	u.add(gitleaksignore.Entry{RuleID: "made-up-rule", At: 2})
	for i := range 9 {
		u.add(gitleaksignore.Entry{RuleID: "gitleaks-own", At: 10 + i})
	}
	for i := range 1000 {
		u.add(gitleaksignore.Entry{RuleID: fmt.Sprintf("custom-%d", i), At: 100 + i})
	}
	w := u.warnings()
	require.Len(t, w, maxUnusedRules+1)
	assert.Equal(t, `.gitleaksignore:2: unused: rule "made-up-rule" is no keygate rule (nor a gitleaks rule keygate has): the entry matches nothing`, w[0])
	assert.Equal(t, `.gitleaksignore:10: unused: rule "gitleaks-own" is no keygate rule (nor a gitleaks rule keygate has): its 9 entries match nothing (lines 10, 11, 12, 13, 14 and 4 more)`, w[1])
	assert.Contains(t, w[2], `.gitleaksignore:100: unused: rule "custom-0"`)
	assert.Equal(t, `.gitleaksignore: unused: 982 more entries name other rule ids keygate does not know (past the first 20 ids) and match nothing`, w[maxUnusedRules])

	var none unusedEntries
	assert.Empty(t, none.warnings())
}
