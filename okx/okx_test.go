package okx_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/okx"
)

var good = okx.Credentials{Key: "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", Secret: "0A1B2C3D4E5F60718293A4B5C6D7E8F9", Passphrase: "Marlin4Quiet8Dune"}

// Vectors computed with openssl (dgst -sha256 -hmac -binary | base64).
func TestSignMatchesTheDocumentation(t *testing.T) {
	assert.Equal(t, "Kr/8IrbDYujS4cg2KkmB+tO2HMUXxyayG6ZwNb4H/yA=",
		okx.Sign("22582BD0CFF14C41EDBF1AB98506286D", "2020-12-08T09:08:57.715Z", "GET", "/api/v5/account/config", ""))
	assert.Equal(t, "gVY5waFElLKlCyUgiNrFnkPj0ARXmtLvXPpzJznrTR0=",
		okx.Sign(good.Secret, time.UnixMilli(1700000000000).UTC().Format(okx.TimestampLayout), "GET", okx.PathAccountConfig, ""))
}

func TestCredentialsNeverFormatAValue(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, good) + fmt.Sprintf(verb, &good)
		for _, v := range []string{good.Key, good.Secret, good.Passphrase} {
			assert.NotContains(t, out, v, verb)
		}
	}
}

func standIn(t *testing.T) (*fixture.OKX, *fixture.Capture, *okx.Client) {
	o := fixture.NewOKX(t)
	o.Add(good.Key, fixture.ExchangeKey{Secret: good.Secret, Passphrase: good.Passphrase, Permissions: []string{"read_only", "trade"}})
	front := fixture.NewCapture(t, o.Config.Handler)
	u, err := apiclient.ParseBaseURL(front.URL)
	require.NoError(t, err)
	c := okx.New(u)
	c.API.Backoff = time.Millisecond
	return o, front, c
}

func TestAccountConfig(t *testing.T) {
	tests := []struct {
		name    string
		faults  []http.HandlerFunc
		creds   okx.Credentials
		code    string
		errWant string
	}{
		{"live", nil, good, "", ""},
		{"revoked: 50111", nil, okx.Credentials{Key: "ffffffff-4e5f-6071-8293-a4b5c6d7e8f9", Secret: good.Secret, Passphrase: good.Passphrase}, okx.CodeInvalidKey, "unknown or revoked"},
		{"wrong secret: 50113", nil, okx.Credentials{Key: good.Key, Secret: "FFFF2C3D4E5F60718293A4B5C6D7E8F9", Passphrase: good.Passphrase}, okx.CodeInvalidSign, "wrong secret"},
		{"wrong passphrase: 50105", nil, okx.Credentials{Key: good.Key, Secret: good.Secret, Passphrase: "Wrong1Passphrase"}, okx.CodePassphraseWrong, "wrong passphrase"},
		{"rate-limited twice", []http.HandlerFunc{fixture.OKXError(429, "50011"), fixture.OKXError(429, "50011")}, good, "", "could not be reached (2 attempts): HTTP 429"},
		{"malformed", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"code":"0","data":[{"uid":"1"}]}`) }}, good, "", "perm and data[0].ip are missing"},
		{"not JSON", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "<html>") }}, good, "", "without a JSON answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, front, c := standIn(t)
			o.Next(tt.faults...)
			cfg, err := c.AccountConfig(context.Background(), tt.creds)
			if tt.errWant == "" {
				require.NoError(t, err)
				assert.Equal(t, []string{"read_only", "trade"}, cfg.Perm)
				assert.Empty(t, cfg.IPs)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errWant)
				if tt.code != "" {
					api, ok := okx.IsAPIError(err)
					require.True(t, ok)
					assert.Equal(t, tt.code, api.Code)
				}
				for _, v := range []string{tt.creds.Key, tt.creds.Secret, tt.creds.Passphrase} {
					assert.NotContains(t, err.Error(), v)
				}
			}
			for _, req := range front.Requests() {
				assert.Empty(t, req.FieldsHolding(tt.creds.Secret), "the secret only keys the signature")
				assert.Subset(t, []string{"header Ok-Access-Key"}, req.FieldsHolding(tt.creds.Key))
				assert.Subset(t, []string{"header Ok-Access-Passphrase"}, req.FieldsHolding(tt.creds.Passphrase))
			}
		})
	}
}
