package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/keyaudit"
	"github.com/keygate/keygate/okx"
)

// Synthetic keys in each exchange's format.
var (
	bnKey, bnSecret         = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
	okKey, okSecret, okPass = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "Okx5Harbor9Quiet"
	byKey, bySecret         = "SYNTHbybitKey00001", "SYNTHbybitSecret0123456789abcdefXYZ9"
	exchangeValues          = []string{bnKey, bnSecret, okKey, okSecret, okPass, byKey, bySecret}
)

type exchangeStandIns struct {
	binance *fixture.Binance
	okx     *fixture.OKX
	bybit   *fixture.Bybit
}

// newExchangeRepo writes env/.env with BOT2's Binance key, BOT3's OKX key
// and BOT5's Bybit key, and points keygate at STAND-INs (internal/fixture)
// that know them with the given scopes.
func newExchangeRepo(t *testing.T, bn, ok, by fixture.ExchangeKey) (string, *exchangeStandIns) {
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", "BOT2_BINANCE_API_KEY="+bnKey+"\nBOT2_BINANCE_API_SECRET="+bnSecret+"\n"+
		"BOT3_OKX_API_KEY="+okKey+"\nBOT3_OKX_API_SECRET="+okSecret+"\nBOT3_OKX_PASSPHRASE="+okPass+"\n"+
		"BOT5_BYBIT_API_KEY="+byKey+"\nBOT5_BYBIT_API_SECRET="+bySecret+"\n")
	s := &exchangeStandIns{fixture.NewBinance(t), fixture.NewOKX(t), fixture.NewBybit(t)}
	bn.Secret, ok.Secret, ok.Passphrase, by.Secret = bnSecret, okSecret, okPass, bySecret
	s.binance.Add(bnKey, bn)
	s.okx.Add(okKey, ok)
	s.bybit.Add(byKey, by)
	t.Setenv(binance.EnvBaseURL, s.binance.URL)
	t.Setenv(okx.EnvBaseURL, s.okx.URL)
	t.Setenv(bybit.EnvBaseURL, s.bybit.URL)
	return dir, s
}

func assertNoExchangeValue(t *testing.T, where, s string) {
	t.Helper()
	for i, v := range exchangeValues {
		for j, form := range leakForms(v) {
			if strings.Contains(s, form) {
				t.Errorf("%s holds value #%d (form #%d)", where, i, j)
			}
		}
	}
}

func TestKeysAuditOtherExchanges(t *testing.T) {
	allowlisted := []string{"203.0.113.7"}
	t.Run("withdraw-enabled Binance key and OKX key without allowlist fail", func(t *testing.T) {
		dir, _ := newExchangeRepo(t,
			fixture.ExchangeKey{Permissions: []string{"enableReading", "enableSpotAndMarginTrading", "enableWithdrawals"}, IPs: allowlisted},
			fixture.ExchangeKey{Permissions: []string{"read_only", "trade"}},
			fixture.ExchangeKey{Permissions: []string{"SpotTrade"}, IPs: allowlisted})
		res := runCLI(t, dir, nil, "keys", "audit", "--report", "reports/security/keys-audit.json")
		assert.Equal(t, exitFail, res.code, res.combined)
		assert.Contains(t, res.stdout, "Binance keys in env/.env (audited at ")
		assert.Contains(t, res.stdout, "BOT2 ****Eh8A: accepted")
		assert.Contains(t, res.stdout, "VIOLATION withdraw: the Binance key of BOT2 has the withdraw permission: create one without it")
		assert.Contains(t, res.stdout, "VIOLATION no-ip-allowlist: the OKX key of BOT3 has no IP allowlist: bind it to the bot host's address")
		assert.Contains(t, res.stdout, "BOT5 ****0001: accepted")
		assert.Contains(t, res.stdout, "keys audit: fail (3 keys audited, 2 violations)")
		data, err := os.ReadFile(filepath.Join(dir, "reports/security/keys-audit.json"))
		require.NoError(t, err)
		var rep keyaudit.Report
		require.NoError(t, json.Unmarshal(data, &rep))
		require.Len(t, rep.Bots, 3)
		assert.Equal(t, []string{"binance", "okx", "bybit"}, []string{rep.Bots[0].Exchange, rep.Bots[1].Exchange, rep.Bots[2].Exchange})
		assert.Empty(t, rep.Bots[2].Violations)
		assertNoExchangeValue(t, "output and report", res.combined+string(data))
	})
	t.Run("least-privilege keys pass", func(t *testing.T) {
		dir, s := newExchangeRepo(t,
			fixture.ExchangeKey{Permissions: []string{"enableReading", "enableSpotAndMarginTrading"}, IPs: allowlisted},
			fixture.ExchangeKey{Permissions: []string{"read_only", "trade"}, IPs: allowlisted},
			fixture.ExchangeKey{Permissions: []string{"SpotTrade"}, IPs: allowlisted})
		res := runCLI(t, dir, nil, "keys", "audit")
		assert.Equal(t, exitPass, res.code, res.combined)
		assert.Contains(t, res.stdout, "keys audit: pass (3 keys audited, 0 violations)")
		assert.Contains(t, res.stdout, "permissions: read (read), spot and margin trade; IP allowlist on")
		assertNoExchangeValue(t, "output", res.combined)
		assert.Equal(t, 1, s.binance.Calls(binance.PathAPIRestrictions))

		one := runCLI(t, dir, nil, "keys", "audit", "--bot", "BOT3")
		assert.Equal(t, exitPass, one.code, one.combined)
		assert.Contains(t, one.stdout, "OKX keys in env/.env")
		assert.NotContains(t, one.stdout, "BOT2")
	})
	t.Run("revoked Bybit key is a violation", func(t *testing.T) {
		dir, s := newExchangeRepo(t, fixture.ExchangeKey{IPs: allowlisted, Permissions: []string{"enableReading"}},
			fixture.ExchangeKey{IPs: allowlisted}, fixture.ExchangeKey{IPs: allowlisted})
		s.bybit.Add(byKey, fixture.ExchangeKey{Secret: "SYNTHbybitSecretROTATED89abcdefXYZ9"})
		res := runCLI(t, dir, nil, "keys", "audit", "--bot", "BOT5")
		assert.Equal(t, exitFail, res.code, res.combined)
		assert.Contains(t, res.stdout, "VIOLATION key-rejected: the Bybit key of BOT5 is rejected by Bybit: signature error (wrong secret)")
	})
}
