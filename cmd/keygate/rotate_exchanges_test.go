package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/internal/fixture"
)

// BOT1's Binance keys, old and new (synthetic, in Binance's format).
var (
	oldBnKey, oldBnSecret = "OLDbnZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "OLDbnmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
	newBnKey, newBnSecret = "NEWbnZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "NEWbnmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
)

// newBinanceOps is an ops repository whose BOT1 also holds a Binance key,
// and a STAND-IN Binance (internal/fixture) that knows the old one (live)
// and the new one with perms.
func newBinanceOps(t *testing.T, perms []string) (*opsRepo, *fixture.Binance) {
	o := newOpsRepo(t)
	env := string(o.env()) + "BOT1_BINANCE_API_KEY=" + oldBnKey + "\r\nBOT1_BINANCE_API_SECRET=" + oldBnSecret + "\r\n"
	fixture.Write(t, o.dir, "env/.env", env)
	require.NoError(t, os.Chmod(filepath.Join(o.dir, "env/.env"), 0o600))
	o.envOld = []byte(env)
	b := fixture.NewBinance(t)
	b.Add(oldBnKey, fixture.ExchangeKey{Secret: oldBnSecret, Permissions: []string{"enableReading", "enableWithdrawals"}})
	b.Add(newBnKey, fixture.ExchangeKey{Secret: newBnSecret, Permissions: perms, IPs: []string{"203.0.113.7"}})
	t.Setenv(binance.EnvBaseURL, b.URL)
	return o, b
}

const newKeysWithBinance = newKeys + "BOT1_BINANCE_API_KEY=" + "NEWbnZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A" + "\nBOT1_BINANCE_API_SECRET=" + "NEWbnmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j" + "\n"

func assertNoBinanceValue(t *testing.T, outputs ...cliResult) {
	t.Helper()
	for _, res := range outputs {
		for _, v := range []string{oldBnKey, oldBnSecret, newBnKey, newBnSecret} {
			assert.NotContains(t, res.combined, v)
		}
	}
}

// stage's pre-flight audit covers a Binance key the rotation carries: a
// withdraw-enabled new key refuses the stage, env/.env untouched.
func TestRotateStageAuditsABinanceKey(t *testing.T) {
	o, _ := newBinanceOps(t, []string{"enableReading", "enableSpotAndMarginTrading", "enableWithdrawals"})
	res := o.stage(newKeysWithBinance)
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "the new binance key of BOT1 fails the audit (the Binance key of BOT1 has the withdraw permission")
	assert.Contains(t, res.stderr, "env/.env is untouched")
	assert.Equal(t, o.envOld, o.env())
	assertNoBinanceValue(t, res)

	half := o.stage(newKeys + "BOT1_BINANCE_API_KEY=" + newBnKey + "\n")
	assert.Equal(t, exitUsage, half.code, half.combined)
	assert.Contains(t, half.stderr, "missing BOT1_BINANCE_API_SECRET: a Binance key is rotated as a whole")
}

// finalize proves the old Binance key revoked (Binance's -2014) as well as
// the Bitget one; an old Binance key still accepted stops it.
func TestRotateFinalizeProvesBinanceRevocation(t *testing.T) {
	run := func(t *testing.T) (*opsRepo, *fixture.Binance) {
		o, b := newBinanceOps(t, []string{"enableReading", "enableSpotAndMarginTrading"})
		res := o.rotate(newKeysWithBinance, "run", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-", "--timeout", "10s", "--poll-interval", "50ms")
		require.Equal(t, exitPass, res.code, res.combined)
		assert.Contains(t, res.stdout, "audit of the new binance key of BOT1 (****Eh8A): read (read), spot and margin trade; IP allowlist on")
		assert.Contains(t, string(o.env()), newBnKey)
		o.bitget.Revoke(oldKey)
		assertNoBinanceValue(t, res)
		return o, b
	}
	t.Run("still accepted", func(t *testing.T) {
		o, _ := run(t)
		fin := o.rotate("", "finalize")
		assert.Equal(t, exitFail, fin.code, fin.combined)
		assert.Contains(t, fin.stderr, "the old binance key of BOT1 is still accepted: revoke it at the exchange")
		assert.FileExists(t, filepath.Join(o.dir, ".keygate/env.backup"), "nothing finalized")
	})
	t.Run("revoked", func(t *testing.T) {
		o, b := run(t)
		b.Next(fixture.BinanceError(401, -2014))
		fin := o.rotate("", "finalize")
		require.Equal(t, exitPass, fin.code, fin.combined)
		assert.Contains(t, fin.stdout, "binance rejects the old key ****Eh8A: API key format invalid (unknown or revoked) (code -2014)")
		rec, err := os.ReadFile(filepath.Join(o.dir, "reports/security/rotations.jsonl"))
		require.NoError(t, err)
		assert.Contains(t, string(rec), `"revocation":"verified"`)
		assert.True(t, strings.Contains(string(rec), "binance rejects the old key"), "the record says both proofs")
		assertNoBinanceValue(t, fin)
	})
}
