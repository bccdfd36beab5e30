package verifier

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/keygate/keygate/internal/lazyre"
)

// Every pattern compiles (they are compiled on first use, not at start-up).
func TestPatternsCompile(t *testing.T) {
	for provider, parts := range shapes {
		for part, re := range parts {
			assert.NotPanics(t, func() { re.Regexp() }, "%s %s", provider, part)
		}
	}
	for _, re := range []*lazyre.Regexp{bitgetKeyRE, bitgetSecretRE, okxKeyRE, okxSecretRE, botRE, telegramTokenRE, slackErrorRE, scopeRE} {
		assert.NotPanics(t, func() { re.Regexp() }, re.String())
	}
}
