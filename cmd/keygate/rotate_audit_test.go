package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/fixture"
)

// newBitgetStandIn starts the stand-in exchange for a rotation test and
// points keygate at it: BOT1's old key is live (with withdraw, as the key
// being replaced may be), its new key is trade-only and allowlisted.
func newBitgetStandIn(t *testing.T) *fixture.Bitget {
	b := fixture.NewBitget(t)
	b.Add(oldKey, fixture.BitgetAccount{Secret: oldSecret, Passphrase: oldPass, Authorities: []string{"stow", "wwow"}})
	b.Add(newKey, fixture.BitgetAccount{Secret: newSecret, Passphrase: newPass, Authorities: fixture.TradeOnly, IPs: "203.0.113.7"})
	t.Setenv(bitget.EnvBaseURL, b.URL)
	return b
}

func (o *opsRepo) stage(keys string, extra ...string) cliResult {
	o.t.Helper()
	return o.rotate(keys, append([]string{"stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-"}, extra...)...)
}

// A new key that fails the audit refuses the stage: exit 1, env/.env byte
// for byte, no backup, no rotation started.
func TestRotateStageRefusesKeysThatFailTheAudit(t *testing.T) {
	tests := []struct {
		name    string
		account fixture.BitgetAccount
		code    int
		want    string
	}{
		{"withdraw enabled", fixture.BitgetAccount{Secret: newSecret, Passphrase: newPass, Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.7"},
			exitFail, "the new key of BOT1 fails the audit (the key of BOT1 has the withdraw permission (wwow)"},
		{"no IP allowlist", fixture.BitgetAccount{Secret: newSecret, Passphrase: newPass, Authorities: fixture.TradeOnly},
			exitFail, "the key of BOT1 has no IP allowlist"},
		{"wrong passphrase (a typo)", fixture.BitgetAccount{Secret: newSecret, Passphrase: "Typo7Passphrase3Dune", Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			exitFail, "is rejected by Bitget: wrong passphrase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOpsRepo(t)
			o.bitget.Add(newKey, tt.account)
			res := o.stage(newKeys)
			assert.Equal(t, tt.code, res.code, res.combined)
			assert.Contains(t, res.stderr, tt.want)
			assert.Contains(t, res.stderr, "env/.env is untouched")
			assert.Equal(t, o.envOld, o.env(), "byte for byte")
			assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/env.backup"))
			assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/rotation.json"))
			o.assertNoValues(res)
		})
	}
	t.Run("unknown key", func(t *testing.T) {
		o := newOpsRepo(t)
		o.bitget.Revoke(newKey)
		res := o.stage(newKeys)
		assert.Equal(t, exitFail, res.code, res.combined)
		assert.Contains(t, res.stderr, "invalid API key")
		assert.Equal(t, o.envOld, o.env())
	})
}

// Bitget unreachable: stage stops (exit 2) and names --skip-audit; with it,
// the stage proceeds and the reason (redacted) is in the state and the
// record.
func TestRotateStageSkipAudit(t *testing.T) {
	o := newOpsRepo(t)
	o.bitget.Close()
	oneBitgetAttempt(t, o.dir)
	res := o.stage(newKeys)
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "could not audit the new key of BOT1 at Bitget")
	assert.Contains(t, res.stderr, `--skip-audit "REASON"`)
	assert.Equal(t, o.envOld, o.env())

	reason := "Bitget API outage; old key " + oldKey + " suspected"
	res = o.stage(newKeys, "--skip-audit", reason)
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "the new key of BOT1 is NOT audited at Bitget (--skip-audit: Bitget API outage; old key ****dddd suspected)")
	assert.Contains(t, string(o.env()), newKey)
	state, err := os.ReadFile(filepath.Join(o.dir, ".keygate/rotation.json"))
	require.NoError(t, err)
	assert.Contains(t, string(state), `"skipped": "Bitget API outage; old key ****dddd suspected"`)

	require.Equal(t, exitPass, o.rotate("", "cutover").code)
	val := o.rotate("", "validate", "--timeout", "10s", "--poll-interval", "50ms")
	require.Equal(t, exitPass, val.code, val.combined)

	// Still unreachable at finalize: no proof without the attestation.
	fin := o.rotate("", "finalize")
	assert.Equal(t, exitUsage, fin.code, fin.combined)
	assert.Contains(t, fin.stderr, "could not verify that the old key of BOT1 is revoked")
	assert.Contains(t, fin.stderr, "--old-keys-revoked")
	assert.Contains(t, o.rotate("", "status").stdout, "step: validated", "nothing recorded")
	fin = o.rotate("", "finalize", "--old-keys-revoked")
	require.Equal(t, exitPass, fin.code, fin.combined)
	assert.Contains(t, fin.stdout, "recorded as attested by the operator")

	rec, err := os.ReadFile(filepath.Join(o.dir, "reports/security/rotations.jsonl"))
	require.NoError(t, err)
	var r struct {
		Revocation string `json:"revocation"`
		Audit      struct {
			Skipped string          `json:"skipped"`
			Result  json.RawMessage `json:"result"`
		} `json:"audit"`
	}
	require.NoError(t, json.Unmarshal(bytes.TrimSpace(rec), &r))
	assert.Equal(t, "attested", r.Revocation)
	assert.Equal(t, "Bitget API outage; old key ****dddd suspected", r.Audit.Skipped)
	assert.Empty(t, r.Audit.Result)
	o.assertNoValues(res, val, fin)
}

// A refusal that does not say the key is gone (a wrong passphrase: the key
// may well exist) proves nothing: finalize stops unless attested.
func TestRotateFinalizeNeedsProofOfRevocation(t *testing.T) {
	o := newOpsRepo(t)
	res := o.rotate(newKeys, "run", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-", "--timeout", "10s", "--poll-interval", "50ms")
	require.Equal(t, exitPass, res.code, res.combined)
	o.bitget.Add(oldKey, fixture.BitgetAccount{Secret: oldSecret, Passphrase: "Changed4Passphrase", Authorities: fixture.TradeOnly})
	fin := o.rotate("", "finalize")
	assert.Equal(t, exitUsage, fin.code, fin.combined)
	assert.Contains(t, fin.stderr, "Bitget answered rejected: wrong passphrase, which does not prove a revocation")
	assert.FileExists(t, filepath.Join(o.dir, ".keygate/env.backup"), "nothing finalized")
	assert.NoFileExists(t, filepath.Join(o.dir, "reports/security/rotations.jsonl"))
	o.assertNoValues(res, fin)
}

// With no KEYGATE_BITGET_BASE_URL, stage audits at exchanges.bitget.base_url
// of .keygate.yaml.
func TestRotateStageAuditsAtTheConfiguredExchange(t *testing.T) {
	o := newOpsRepo(t)
	t.Setenv(bitget.EnvBaseURL, "")
	fixture.Write(t, o.dir, ".keygate.yaml", "exchanges:\n  bitget:\n    base_url: "+o.bitget.URL+"\n")
	res := o.stage(newKeys)
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "audit of the new key of BOT1 (****cccc): spot trade, futures orders")
	assert.Equal(t, 1, o.bitget.Calls(bitget.PathAccountInfo))
}

// Break-glass audits the emergency key the same way and lists both keys'
// scope in the incident note.
func TestBreakGlassAuditsAndListsScope(t *testing.T) {
	o := newOpsRepo(t)
	res := o.rotate(newKeys, "break-glass", "--bot", "BOT1", "--owner", "alice", "--reason", "unauthorized orders at 03:12", "--keys-from", "-",
		"--timeout", "10s", "--poll-interval", "50ms")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "the key being replaced: ****dddd: spot trade, withdraw; IP allowlist off")
	notes, err := filepath.Glob(filepath.Join(o.dir, "docs/incidents/*-bot1-break-glass.md"))
	require.NoError(t, err)
	require.Len(t, notes, 1)
	note, err := os.ReadFile(notes[0])
	require.NoError(t, err)
	assert.Contains(t, string(note), "- old key permissions (revoke at the exchange): ****dddd: spot trade, withdraw; IP allowlist off")
	assert.Contains(t, string(note), "- new key permissions: ****cccc: spot trade, futures orders, futures holdings, spot trade (read), wallet transfer (read); IP allowlist on (1 entry)")
	o.assertNoValues(res)

	// A withdraw-enabled emergency key is refused like any other.
	o2 := newOpsRepo(t)
	o2.bitget.Add(newKey, fixture.BitgetAccount{Secret: newSecret, Passphrase: newPass, Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.7"})
	res = o2.rotate(newKeys, "break-glass", "--bot", "BOT1", "--owner", "alice", "--reason", "leak", "--keys-from", "-", "--timeout", "10s", "--poll-interval", "50ms")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "has the withdraw permission")
	assert.Equal(t, o2.envOld, o2.env())
	notes, _ = filepath.Glob(filepath.Join(o2.dir, "docs/incidents/*-bot1-break-glass.md"))
	require.Len(t, notes, 1)
	note, _ = os.ReadFile(notes[0])
	assert.True(t, strings.Contains(string(note), "Rotation: NOT completed"), string(note))
	o2.assertNoValues(res)
}
