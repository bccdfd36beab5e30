package binance_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/fixture"
)

var good = binance.Credentials{Key: "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
	Secret: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"}

// Vectors computed with openssl (dgst -sha256 -hmac), not with this
// package; the first is the example of Binance's own documentation.
func TestSignMatchesTheDocumentation(t *testing.T) {
	assert.Equal(t, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
		binance.Sign(good.Secret, "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"))
	assert.Equal(t, "1e007ef2535aaa12a2584e410f756c0f06b159ddad46fe71baa45f1ec8c7f9ec",
		binance.Sign(good.Secret, "timestamp=1700000000000&recvWindow=5000"))
}

func TestCredentialsNeverFormatAValue(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, good) + fmt.Sprintf(verb, &good)
		assert.NotContains(t, out, good.Key[:20], verb)
		assert.NotContains(t, out, good.Secret[:20], verb)
	}
	assert.Equal(t, "binance key ****Eh8A", good.String())
}

func standIn(t *testing.T) (*fixture.Binance, *fixture.Capture, *binance.Client) {
	b := fixture.NewBinance(t)
	b.Add(good.Key, fixture.ExchangeKey{Secret: good.Secret, Permissions: []string{"enableReading", "enableSpotAndMarginTrading", "enableWithdrawals"}, IPs: []string{"203.0.113.7"}})
	front := fixture.NewCapture(t, b.Config.Handler)
	u, err := apiclient.ParseBaseURL(front.URL)
	require.NoError(t, err)
	c := binance.New(u)
	c.API.Backoff = time.Millisecond
	return b, front, c
}

func TestAPIRestrictions(t *testing.T) {
	other := binance.Credentials{Key: strings.Repeat("Zq", 32), Secret: good.Secret}
	wrongSecret := binance.Credentials{Key: good.Key, Secret: strings.Repeat("Wx", 32)}
	tests := []struct {
		name    string
		faults  []http.HandlerFunc
		creds   binance.Credentials
		code    int
		errWant string
	}{
		{"live", nil, good, 0, ""},
		{"revoked or foreign IP: -2015", nil, other, binance.CodeRejectedKey, "revoked, or this host's IP is not allowed"},
		{"wrong secret: -1022", nil, wrongSecret, binance.CodeBadSignature, "wrong secret"},
		{"key format: -2014", []http.HandlerFunc{fixture.BinanceError(401, -2014)}, good, binance.CodeKeyFormat, "unknown or revoked"},
		{"rate-limited twice", []http.HandlerFunc{fixture.BinanceError(429, -1003), fixture.BinanceError(429, -1003)}, good, 0, "could not be reached (2 attempts): HTTP 429"},
		{"malformed", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"enableReading":true}`) }}, good, 0, "ipRestrict is missing"},
		{"not JSON", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "<html>") }}, good, 0, "without a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, front, c := standIn(t)
			b.Next(tt.faults...)
			r, err := c.APIRestrictions(context.Background(), tt.creds)
			if tt.errWant == "" {
				require.NoError(t, err)
				assert.True(t, r.IPRestrict)
				assert.Equal(t, []string{"read", "spot-margin-trade", "withdraw"}, r.Permissions())
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errWant)
				if tt.code != 0 {
					api, ok := binance.IsAPIError(err)
					require.True(t, ok)
					assert.Equal(t, tt.code, api.Code)
				}
				assert.NotContains(t, err.Error(), tt.creds.Secret)
				assert.NotContains(t, err.Error(), tt.creds.Key)
			}
			for _, req := range front.Requests() {
				assert.Equal(t, binance.PathAPIRestrictions, req.Path)
				assert.Empty(t, req.FieldsHolding(tt.creds.Secret), "the secret only keys the signature")
				assert.Subset(t, []string{"header X-Mbx-Apikey"}, req.FieldsHolding(tt.creds.Key))
			}
		})
	}
}
