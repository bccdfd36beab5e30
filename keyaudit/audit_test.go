package keyaudit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/keyaudit"
)

// Synthetic keys, one per bot.
func creds(n int) bitget.Credentials {
	return bitget.Credentials{Key: fmt.Sprintf("bg_%032x", 0xabc0+n), Secret: fmt.Sprintf("%064x", 0x5eed00+n), Passphrase: fmt.Sprintf("Reef%dLantern%dQuay", n, n)}
}

func auditor(t *testing.T, b *fixture.Bitget, policy config.Bitget) *keyaudit.Auditor {
	t.Helper()
	t.Setenv(bitget.EnvBaseURL, b.URL)
	a, err := keyaudit.New(policy)
	require.NoError(t, err)
	a.Client.Backoff = time.Millisecond
	return a
}

func defaults() config.Bitget { return config.DefaultExchanges().Bitget }

func TestVerdicts(t *testing.T) {
	type want struct {
		verdict    keyaudit.Verdict
		violations []keyaudit.ViolationKind
		why        string
		revoked    bool
		live       bool
	}
	tests := []struct {
		name    string
		account *fixture.BitgetAccount // nil: the key is unknown to Bitget
		use     func(c bitget.Credentials) bitget.Credentials
		fault   http.HandlerFunc
		policy  func(*config.Bitget)
		want    want
	}{
		{name: "trade-only with an allowlist passes",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			want:    want{verdict: keyaudit.Accepted, live: true}},
		{name: "withdraw",
			account: &fixture.BitgetAccount{Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.7"},
			want:    want{verdict: keyaudit.Accepted, violations: []keyaudit.ViolationKind{keyaudit.Withdraw}, live: true}},
		{name: "wallet transfer and sub-account management",
			account: &fixture.BitgetAccount{Authorities: []string{"stow", "wtow", "chow"}, IPs: "203.0.113.7"},
			want:    want{verdict: keyaudit.Accepted, violations: []keyaudit.ViolationKind{keyaudit.WalletTransfer, keyaudit.SubAccount}, live: true}},
		{name: "read-only wallet views are not violations",
			account: &fixture.BitgetAccount{Authorities: []string{"stow", "wtor", "chor"}, IPs: "203.0.113.7"},
			want:    want{verdict: keyaudit.Accepted, live: true}},
		{name: "empty allowlist",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly},
			want:    want{verdict: keyaudit.Accepted, violations: []keyaudit.ViolationKind{keyaudit.NoIPAllowlist}, live: true}},
		{name: "empty allowlist allowed by configuration",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly},
			policy:  func(c *config.Bitget) { c.RequireIPAllowlist = false },
			want:    want{verdict: keyaudit.Accepted, live: true}},
		{name: "a configured forbidden permission",
			account: &fixture.BitgetAccount{Authorities: []string{"stow", "ttow"}, IPs: "203.0.113.7"},
			policy:  func(c *config.Bitget) { c.ForbiddenPermissions = []string{"ttow"} },
			want:    want{verdict: keyaudit.Accepted, violations: []keyaudit.ViolationKind{keyaudit.ForbiddenPermission}, live: true}},
		{name: "withdraw allowed by configuration",
			account: &fixture.BitgetAccount{Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.7"},
			policy:  func(c *config.Bitget) { c.ForbiddenPermissions = nil },
			want:    want{verdict: keyaudit.Accepted, live: true}},
		{name: "unknown or revoked key",
			want: want{verdict: keyaudit.Rejected, violations: []keyaudit.ViolationKind{keyaudit.KeyRejected}, why: "invalid API key", revoked: true}},
		{name: "wrong passphrase",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			use:     func(c bitget.Credentials) bitget.Credentials { c.Passphrase = "Typo4Passphrase"; return c },
			want:    want{verdict: keyaudit.Rejected, violations: []keyaudit.ViolationKind{keyaudit.KeyRejected}, why: "wrong passphrase"}},
		{name: "wrong secret",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			use:     func(c bitget.Credentials) bitget.Credentials { c.Secret = strings.Repeat("0", 64); return c },
			want:    want{verdict: keyaudit.Rejected, violations: []keyaudit.ViolationKind{keyaudit.KeyRejected}, why: "signature error"}},
		{name: "this host's IP not allowed",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7", IPDenied: true},
			want:    want{verdict: keyaudit.Rejected, violations: []keyaudit.ViolationKind{keyaudit.KeyRejected}, why: "not in the key's allowlist"}},
		{name: "live key without spot read (40014)",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			fault:   fixture.Refusal(400, "40014", "Incorrect permissions"),
			want:    want{verdict: keyaudit.Unchecked, why: "the key is live", live: true}},
		{name: "unreachable (503 every time)",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			fault:   fixture.Status(503),
			want:    want{verdict: keyaudit.Unchecked, why: "could not be reached (3 attempts): HTTP 503"}},
		{name: "malformed answer",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			fault:   func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{not json") },
			want:    want{verdict: keyaudit.Unchecked, why: "unusable"}},
		{name: "an unknown refusal echoing the key is not repeated",
			account: &fixture.BitgetAccount{Authorities: fixture.TradeOnly, IPs: "203.0.113.7"},
			fault:   fixture.Refusal(400, "40099", "apikey "+creds(1).Key+" passphrase "+creds(1).Passphrase),
			want:    want{verdict: keyaudit.Unchecked, why: "Bitget code 40099 (HTTP 400)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBitget(t)
			c := creds(1)
			if tt.account != nil {
				acc := *tt.account
				acc.Secret, acc.Passphrase = c.Secret, c.Passphrase
				b.Add(c.Key, acc)
			}
			if tt.use != nil {
				c = tt.use(c)
			}
			policy := defaults()
			if tt.policy != nil {
				tt.policy(&policy)
			}
			a := auditor(t, b, policy)
			if tt.fault != nil {
				_, err := a.Clock(context.Background()) // the faults are for account/info
				require.NoError(t, err)
				b.Next(tt.fault, tt.fault, tt.fault)
			}
			res := a.Check(context.Background(), "BOT4", c)
			assert.Equal(t, tt.want.verdict, res.Verdict, res.Why)
			var kinds []keyaudit.ViolationKind
			for _, v := range res.Violations {
				kinds = append(kinds, v.Kind)
				assert.Contains(t, v.Message, "BOT4")
			}
			assert.Equal(t, tt.want.violations, kinds)
			assert.Contains(t, res.Why, tt.want.why)
			assert.Equal(t, tt.want.revoked, res.Revoked(), "revoked")
			assert.Equal(t, tt.want.live, res.StillAccepted(), "still accepted")
			assert.Equal(t, "****"+c.Key[len(c.Key)-4:], res.APIKey)
			data, err := json.Marshal(res)
			require.NoError(t, err)
			for _, v := range []string{c.Key, c.Secret, c.Passphrase, creds(1).Key, creds(1).Passphrase} {
				assert.NotContains(t, string(data), v)
			}
		})
	}
}

func TestPermissionsInWords(t *testing.T) {
	b := fixture.NewBitget(t)
	c := creds(2)
	b.Add(c.Key, fixture.BitgetAccount{Secret: c.Secret, Passphrase: c.Passphrase, Authorities: []string{"stow", "wtor", "wwow", "zz9z"}, IPs: "203.0.113.7, 198.51.100.0/24"})
	res := auditor(t, b, defaults()).Check(context.Background(), "BOT2", c)
	assert.Equal(t, "spot trade, wallet transfer (read), withdraw, unknown permission zz9z; IP allowlist on (2 entries)", res.Scope())
	assert.Equal(t, []string{"203.0.113.7", "198.51.100.0/24"}, res.IPAllowlist)
}

func TestClockSkewIsReportedAndCompensated(t *testing.T) {
	b := fixture.NewBitget(t)
	b.SetClockOffset(-2 * time.Minute) // this host runs 2 minutes fast
	c := creds(3)
	b.Add(c.Key, fixture.BitgetAccount{Secret: c.Secret, Passphrase: c.Passphrase, Authorities: fixture.TradeOnly, IPs: "203.0.113.7"})
	rep := auditor(t, b, defaults()).Audit(context.Background(), []keyaudit.Target{{Bot: "BOT3", Creds: c}}, nil, "env/.env", "test", time.Now())
	require.Len(t, rep.Bots, 1)
	assert.Equal(t, keyaudit.Accepted, rep.Bots[0].Verdict, rep.Bots[0].Why)
	assert.Equal(t, keyaudit.StatusPass, rep.Status)
	require.NotNil(t, rep.ClockSkewMS)
	assert.InDelta(t, -120000, *rep.ClockSkewMS, 2000)
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "this host's clock is 2m0s ahead of Bitget's")
	assert.Contains(t, rep.Warnings[0], "/api/v2/public/time")

	assert.Empty(t, keyaudit.ClockWarning(29*time.Second), "within Bitget's window")
}

func TestReportStatusAndText(t *testing.T) {
	b := fixture.NewBitget(t)
	for n, auth := range map[int][]string{1: fixture.TradeOnly, 4: {"stow", "wwow"}} {
		c := creds(n)
		b.Add(c.Key, fixture.BitgetAccount{Secret: c.Secret, Passphrase: c.Passphrase, Authorities: auth, IPs: "203.0.113.7"})
	}
	env := ""
	for _, n := range []int{1, 4} {
		c := creds(n)
		env += fmt.Sprintf("BOT%d_BITGET_API_KEY=%s\nBOT%d_BITGET_API_SECRET=%s\nBOT%d_BITGET_PASSPHRASE=%s\n", n, c.Key, n, c.Secret, n, c.Passphrase)
	}
	env += "BOT2_BITGET_PASSPHRASE=Only8Passphrase\nREDIS_PASSWORD=Harbor7Tide5Dga\n"
	f, err := envfile.Parse("env/.env", []byte(env))
	require.NoError(t, err)

	targets, skipped, err := keyaudit.Targets(f, "")
	require.NoError(t, err)
	require.Len(t, targets, 2)
	assert.Equal(t, "BOT1", targets[0].Bot)
	assert.Equal(t, []keyaudit.Skipped{{Bot: "BOT2", Why: "missing BOT2_BITGET_API_KEY, BOT2_BITGET_API_SECRET"}}, skipped)
	_, _, err = keyaudit.Targets(f, "BOT2")
	assert.ErrorContains(t, err, "BOT2 cannot be audited: missing BOT2_BITGET_API_KEY")
	_, _, err = keyaudit.Targets(f, "BOT9")
	assert.ErrorContains(t, err, "BOT9 has no Bitget key in env/.env")

	a := auditor(t, b, defaults())
	rep := a.Audit(context.Background(), targets, skipped, "env/.env", "test", time.Now())
	assert.Equal(t, keyaudit.StatusFail, rep.Status)
	var text bytes.Buffer
	require.NoError(t, rep.Text(&text))
	out := text.String()
	assert.Contains(t, out, "BOT4 ****"+creds(4).Key[31:]+": accepted")
	assert.Contains(t, out, "permissions: spot trade, withdraw; IP allowlist on (1 entry)")
	assert.Contains(t, out, "VIOLATION withdraw: the key of BOT4 has the withdraw permission (wwow)")
	assert.Contains(t, out, "BOT2: not audited (missing BOT2_BITGET_API_KEY, BOT2_BITGET_API_SECRET)")
	assert.Contains(t, out, "keys audit: fail (2 keys audited, 1 violation)")

	only, _, err := keyaudit.Targets(f, "BOT1")
	require.NoError(t, err)
	assert.Equal(t, keyaudit.StatusPass, a.Audit(context.Background(), only, nil, "env/.env", "test", time.Now()).Status)

	b.Close()
	down := auditor(t, b, defaults()).Audit(context.Background(), only, nil, "env/.env", "test", time.Now())
	assert.Equal(t, keyaudit.StatusError, down.Status, "could not check")
	assert.Nil(t, down.ClockSkewMS)
	assert.Equal(t, keyaudit.StatusError, a.Audit(context.Background(), nil, nil, "env/.env", "test", time.Now()).Status, "nothing audited")
}

// Only each exchange's invalid-key codes prove a revocation; a wrong
// secret or a foreign IP (or Binance's ambiguous -2015) never does.
func TestRevokedByExchange(t *testing.T) {
	tests := []struct {
		exchange, code string
		want           bool
	}{
		{"", "40006", true}, {"bitget", "40037", true}, {"bitget", "40009", false},
		{"binance", "-2014", true}, {"binance", "-2008", true}, {"binance", "-2015", false}, {"binance", "-1022", false},
		{"okx", "50111", true}, {"okx", "50113", false}, {"okx", "50110", false},
		{"bybit", "10003", true}, {"bybit", "10004", false},
	}
	for _, tt := range tests {
		r := keyaudit.Result{Exchange: tt.exchange, Verdict: keyaudit.Rejected, Code: tt.code}
		assert.Equal(t, tt.want, r.Revoked(), "%s %s", tt.exchange, tt.code)
		r.Verdict = keyaudit.Unchecked
		assert.False(t, r.Revoked())
	}
}
