package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rule's verify field is checked like checksum: a provider keygate
// verifies, and a part of its credential.
func TestVerifyValidation(t *testing.T) {
	tests := []struct {
		name, extra string
		want        string // "" accepted
	}{
		{"provider alone", "    verify: bitget\n", ""},
		{"provider and part", "    verify: bitget:passphrase\n", ""},
		{"unknown provider", "    verify: kraken\n", `p.yaml:3: rule "a": verify "kraken": must be one of binance, bitget, bybit, github, okx, slack, telegram`},
		{"unknown part", "    verify: bitget:token\n", `verify "bitget:token": part "token": bitget credentials have key, secret, passphrase`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte("name: x\nrules:\n"+sprintf(famRule, "a")+tt.extra))
			if tt.want == "" {
				require.NoError(t, err)
				assert.NotEmpty(t, p.Rules[0].Verify)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// The default pack verifies Bitget's three parts.
func TestDefaultPackVerifiesBitget(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	for id, want := range map[string]string{"bitget-api-key": "bitget:key", "bitget-api-secret": "bitget:secret", "bitget-passphrase": "bitget:passphrase"} {
		r := p.Rule(id)
		require.NotNil(t, r, id)
		assert.Equal(t, want, r.Verify, id)
	}
}
