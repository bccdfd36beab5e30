package rotate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/redact"
)

// An incident note that still holds an active value, or a secret a rule
// finds, is refused; a clean note passes.
func TestCheckCleanRefusesCredentials(t *testing.T) {
	red, err := redact.New([]detector.KnownValue{{Name: "BOT1_BITGET_PASSPHRASE", Value: "Old5Passphrase9Reef"}}, nil)
	require.NoError(t, err)
	assert.NoError(t, checkClean(red, "- Owner: alice\n- Key: ****Reef -> ****Dune\n"))
	assert.Error(t, checkClean(red, "- Reason: typed Old5Passphrase9Reef in chat\n"))
	assert.Error(t, checkClean(red, "- Reason: key bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0 leaked\n"))
}
