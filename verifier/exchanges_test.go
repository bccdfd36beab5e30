package verifier_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/okx"
	"github.com/keygate/keygate/verifier"
)

func cred(provider string, parts ...string) verifier.Credential {
	names := []verifier.Part{verifier.PartKey, verifier.PartSecret, verifier.PartPassphrase}
	c := verifier.Credential{Provider: provider, Parts: map[verifier.Part]string{}}
	for i, p := range parts {
		c.Parts[names[i]] = p
	}
	return c
}

// exchangeCase is one exchange's verifier against its STAND-IN
// (internal/fixture), behind a front door that records requests.
type exchangeCase struct {
	name      string
	live      verifier.Credential
	revoked   verifier.Credential
	code      string // the documented invalid-key code
	fields    map[verifier.Part]string
	setup     func(t *testing.T, key fixture.ExchangeKey) (next func(...http.HandlerFunc), handler http.Handler, add func(string, fixture.ExchangeKey))
	newV      func(base string) verifier.Provider
	withdraw  []string // the exchange's withdraw permission, as the stand-in takes it
	limited   http.HandlerFunc
	malformed string
}

func exchangeCases() []exchangeCase {
	return []exchangeCase{{
		name:    "binance",
		live:    cred("binance", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"),
		revoked: cred("binance", "ZqZqZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"),
		code:    "-2014", fields: map[verifier.Part]string{verifier.PartKey: "header X-Mbx-Apikey"},
		setup: func(t *testing.T, _ fixture.ExchangeKey) (func(...http.HandlerFunc), http.Handler, func(string, fixture.ExchangeKey)) {
			b := fixture.NewBinance(t)
			return b.Next, b.Config.Handler, b.Add
		},
		newV: func(base string) verifier.Provider {
			u, _ := apiclient.ParseBaseURL(base)
			c := binance.New(u)
			c.API.Backoff = time.Millisecond
			return verifier.NewBinance(c)
		},
		withdraw: []string{"enableReading", "enableWithdrawals"},
		limited:  fixture.BinanceError(429, -1003), malformed: `{"enableReading":true}`,
	}, {
		name:    "okx",
		live:    cred("okx", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "Marlin4Quiet8Dune"),
		revoked: cred("okx", "ffffffff-4e5f-6071-8293-a4b5c6d7e8f9", "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "Marlin4Quiet8Dune"),
		code:    okx.CodeInvalidKey, fields: map[verifier.Part]string{verifier.PartKey: "header Ok-Access-Key", verifier.PartPassphrase: "header Ok-Access-Passphrase"},
		setup: func(t *testing.T, _ fixture.ExchangeKey) (func(...http.HandlerFunc), http.Handler, func(string, fixture.ExchangeKey)) {
			o := fixture.NewOKX(t)
			return o.Next, o.Config.Handler, o.Add
		},
		newV: func(base string) verifier.Provider {
			u, _ := apiclient.ParseBaseURL(base)
			c := okx.New(u)
			c.API.Backoff = time.Millisecond
			return verifier.NewOKX(c)
		},
		withdraw: []string{"read_only", "withdraw"},
		limited:  fixture.OKXError(429, okx.CodeRateLimit), malformed: `{"code":"0","data":[{}]}`,
	}, {
		name:    "bybit",
		live:    cred("bybit", "SYNTHbybitKey00001", "SYNTHbybitSecret0123456789abcdefXYZ9"),
		revoked: cred("bybit", "SYNTHbybitKey99999", "SYNTHbybitSecret0123456789abcdefXYZ9"),
		code:    "10003", fields: map[verifier.Part]string{verifier.PartKey: "header X-Bapi-Api-Key"},
		setup: func(t *testing.T, _ fixture.ExchangeKey) (func(...http.HandlerFunc), http.Handler, func(string, fixture.ExchangeKey)) {
			b := fixture.NewBybit(t)
			return b.Next, b.Config.Handler, b.Add
		},
		newV: func(base string) verifier.Provider {
			u, _ := apiclient.ParseBaseURL(base)
			c := bybit.New(u)
			c.API.Backoff = time.Millisecond
			return verifier.NewBybit(c)
		},
		withdraw: []string{"Withdraw"},
		limited:  fixture.BybitError(429, 10006), malformed: `{"retCode":0,"result":{}}`,
	}}
}

func TestExchangeVerdicts(t *testing.T) {
	for _, ec := range exchangeCases() {
		t.Run(ec.name, func(t *testing.T) {
			run := func(t *testing.T, c verifier.Credential, faults ...http.HandlerFunc) verifier.Verification {
				next, handler, add := ec.setup(t, fixture.ExchangeKey{})
				add(ec.live.Get(verifier.PartKey), fixture.ExchangeKey{Secret: ec.live.Get(verifier.PartSecret), Passphrase: ec.live.Get(verifier.PartPassphrase), Permissions: ec.withdraw})
				front := fixture.NewCapture(t, handler)
				next(faults...)
				v := ec.newV(front.URL).Verify(context.Background(), c)
				assertNoValue(t, fmt.Sprintf("%+v %s", v, v.Summary()), c)
				require.NotEmpty(t, front.Requests())
				for _, r := range front.Requests() {
					assert.Equal(t, http.MethodGet, r.Method)
					assertOnlyIn(t, r, c, ec.fields)
				}
				return v
			}
			t.Run("live, withdraw enabled, no IP allowlist", func(t *testing.T) {
				v := run(t, ec.live)
				assert.Equal(t, verifier.Live, v.Status, v.Reason)
				require.NotNil(t, v.WithdrawEnabled)
				assert.True(t, *v.WithdrawEnabled)
				require.NotNil(t, v.IPAllowlist)
				assert.False(t, *v.IPAllowlist)
			})
			t.Run("revoked: the documented invalid-key code", func(t *testing.T) {
				var faults []http.HandlerFunc
				if ec.name == "binance" {
					// the stand-in answers an unknown key -2015, as Binance does;
					// -2014 is the code that proves it
					faults = append(faults, fixture.BinanceError(401, -2014))
				}
				v := run(t, ec.revoked, faults...)
				assert.Equal(t, verifier.Revoked, v.Status, v.Reason)
				assert.Equal(t, ec.code, v.Code)
			})
			t.Run("rate-limited on both attempts", func(t *testing.T) {
				v := run(t, ec.live, ec.limited, ec.limited)
				assert.Equal(t, verifier.Unknown, v.Status)
				assert.Contains(t, v.Reason, "rate-limited")
			})
			t.Run("malformed answer", func(t *testing.T) {
				v := run(t, ec.live, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, ec.malformed) })
				assert.Equal(t, verifier.Unknown, v.Status)
				assert.Contains(t, v.Reason, "unusable")
			})
		})
	}
}

// Binance's -2015 (an unknown key, or a foreign IP) proves neither.
func TestBinanceAmbiguousRefusalIsUnknown(t *testing.T) {
	ec := exchangeCases()[0]
	_, handler, _ := ec.setup(t, fixture.ExchangeKey{})
	v := ec.newV(fixture.NewCapture(t, handler).URL).Verify(context.Background(), ec.revoked)
	assert.Equal(t, verifier.Unknown, v.Status)
	assert.Equal(t, "-2015", v.Code)
	assert.Contains(t, v.Reason, "does not say which")
}
