package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/keyaudit"
)

// Synthetic keys of four bots; BOT4's may withdraw.
var (
	bot1Key, bot1Secret, bot1Pass = "bg_1111aaaa1111aaaa1111aaaa1111aaaa", strings.Repeat("1a", 32), "Bot1Pass7Harbor"
	bot4Key, bot4Secret, bot4Pass = "bg_4444dddd4444dddd4444dddd4444dddd", strings.Repeat("4d", 32), "Bot4Pass3Lantern"
	auditValues                   = []string{bot1Key, bot1Secret, bot1Pass, bot4Key, bot4Secret, bot4Pass}
)

type keysRepo struct {
	dir    string
	bitget *fixture.Bitget
}

// newKeysRepo writes env/.env with BOT1 (trade-only, allowlisted) and BOT4
// (withdraw-enabled) and a stand-in Bitget that knows both.
func newKeysRepo(t *testing.T) *keysRepo {
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", "BOT1_BITGET_API_KEY="+bot1Key+"\nBOT1_BITGET_API_SECRET="+bot1Secret+"\nBOT1_BITGET_PASSPHRASE="+bot1Pass+"\n"+
		"BOT4_BITGET_API_KEY="+bot4Key+"\nBOT4_BITGET_API_SECRET="+bot4Secret+"\nBOT4_BITGET_PASSPHRASE='"+bot4Pass+"'\nREDIS_PASSWORD=Harbor7Tide5Dga\n")
	b := fixture.NewBitget(t)
	b.Add(bot1Key, fixture.BitgetAccount{Secret: bot1Secret, Passphrase: bot1Pass, Authorities: fixture.TradeOnly, IPs: "203.0.113.7"})
	b.Add(bot4Key, fixture.BitgetAccount{Secret: bot4Secret, Passphrase: bot4Pass, Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.8"})
	t.Setenv(bitget.EnvBaseURL, b.URL)
	return &keysRepo{dir: dir, bitget: b}
}

func assertNoAuditValue(t *testing.T, where, s string) {
	t.Helper()
	for i, v := range auditValues {
		for j, form := range leakForms(v) {
			if strings.Contains(s, form) {
				t.Errorf("%s holds audit value #%d (form #%d)", where, i, j)
			}
		}
	}
}

func TestKeysAuditWithdrawKeyFails(t *testing.T) {
	k := newKeysRepo(t)
	res := runCLI(t, k.dir, nil, "keys", "audit")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stdout, "BOT1 ****aaaa: accepted")
	assert.Contains(t, res.stdout, "permissions: spot trade, futures orders, futures holdings, spot trade (read), wallet transfer (read); IP allowlist on (1 entry)")
	assert.Contains(t, res.stdout, "BOT4 ****dddd: accepted")
	assert.Contains(t, res.stdout, "VIOLATION withdraw: the key of BOT4 has the withdraw permission (wwow)")
	assert.Contains(t, res.stdout, "keys audit: fail (2 keys audited, 1 violation)")
	assertNoAuditValue(t, "stdout", res.combined)

	one := runCLI(t, k.dir, nil, "keys", "audit", "--bot", "bot1")
	assert.Equal(t, exitPass, one.code, one.combined)
	assert.NotContains(t, one.stdout, "BOT4")

	// Withdraw allowed by configuration: BOT4 passes too.
	fixture.Write(t, k.dir, ".keygate.yaml", "exchanges:\n  bitget:\n    forbidden_permissions: [wtow, chow]\n")
	res = runCLI(t, k.dir, nil, "keys", "audit")
	assert.Equal(t, exitPass, res.code, res.combined)
}

// A host clock 2 minutes slow: the audit says so and its verdicts hold.
func TestKeysAuditClockSkew(t *testing.T) {
	k := newKeysRepo(t)
	k.bitget.SetClockOffset(2 * time.Minute)
	res := runCLI(t, k.dir, nil, "keys", "audit", "--bot", "BOT1")
	assert.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "warning: this host's clock is 2m0s behind Bitget's")
	assert.Contains(t, res.stdout, "BOT1 ****aaaa: accepted")
}

func TestKeysAuditJSONReport(t *testing.T) {
	k := newKeysRepo(t)
	res := runCLI(t, k.dir, nil, "keys", "audit", "--format", "json", "--report", "reports/security/keys-audit.json")
	assert.Equal(t, exitFail, res.code, res.combined)
	data, err := os.ReadFile(filepath.Join(k.dir, "reports/security/keys-audit.json"))
	require.NoError(t, err)
	assert.JSONEq(t, res.stdout, string(data), "the report and the JSON output are the same")
	var rep keyaudit.Report
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, keyaudit.StatusFail, rep.Status)
	assert.Equal(t, k.bitget.URL, rep.BaseURL)
	require.Len(t, rep.Bots, 2)
	assert.Equal(t, "BOT4", rep.Bots[1].Bot)
	assert.Equal(t, "****dddd", rep.Bots[1].APIKey)
	assert.Equal(t, keyaudit.Withdraw, rep.Bots[1].Violations[0].Kind)
	assert.True(t, rep.Bots[0].IPAllowlistOn)
	assertNoAuditValue(t, "report", string(data)+res.combined)
}

func TestKeysAuditExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		prep func(k *keysRepo)
		code int
		want string
	}{
		{"rejected key", []string{"--bot", "BOT1"}, func(k *keysRepo) { k.bitget.Revoke(bot1Key) }, exitFail,
			"VIOLATION key-rejected: the key of BOT1 is rejected by Bitget: invalid API key (unknown or revoked)"},
		{"Bitget unreachable", nil, func(k *keysRepo) {
			k.bitget.Close()
			oneBitgetAttempt(t, k.dir)
		}, exitUsage, "could not be reached"},
		{"bad format", []string{"--format", "xml"}, nil, exitUsage, `--format "xml": want text or json`},
		{"unknown bot", []string{"--bot", "BOT7"}, nil, exitUsage, "BOT7 has no Bitget, Binance, OKX or Bybit key in env/.env"},
		{"bad bot", []string{"--bot", "trader"}, nil, exitUsage, "want a bot prefix"},
		{"missing env file", []string{"--env-file", "env/other.env"}, nil, exitUsage, "env/other.env"},
		{"bad base URL", nil, func(*keysRepo) { t.Setenv(bitget.EnvBaseURL, "ftp://x") }, exitUsage, "KEYGATE_BITGET_BASE_URL: scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeysRepo(t)
			if tt.prep != nil {
				tt.prep(k)
			}
			res := runCLI(t, k.dir, nil, append([]string{"keys", "audit"}, tt.args...)...)
			assert.Equal(t, tt.code, res.code, res.combined)
			assert.Contains(t, res.combined, tt.want)
			assertNoAuditValue(t, "output", res.combined)
		})
	}
}
