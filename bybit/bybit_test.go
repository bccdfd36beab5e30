package bybit_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/fixture"
)

var good = bybit.Credentials{Key: "SYNTHbybitKey00001", Secret: "SYNTHbybitSecret0123456789abcdefXYZ9"}

// Vector computed with openssl (dgst -sha256 -hmac), not with this package.
func TestSignMatchesTheDocumentation(t *testing.T) {
	assert.Equal(t, "0a57218f373cff2921f1641d6d877dfb61244d0746d978322e1c9228a65a1524",
		bybit.Sign(good.Secret, "1700000000000", good.Key, "5000", ""))
}

func TestCredentialsNeverFormatAValue(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, good) + fmt.Sprintf(verb, &good)
		assert.NotContains(t, out, good.Key, verb)
		assert.NotContains(t, out, good.Secret, verb)
	}
}

func standIn(t *testing.T) (*fixture.Bybit, *fixture.Capture, *bybit.Client) {
	b := fixture.NewBybit(t)
	b.Add(good.Key, fixture.ExchangeKey{Secret: good.Secret, Permissions: []string{"AccountTransfer", "Withdraw"}, IPs: []string{"203.0.113.7"}})
	front := fixture.NewCapture(t, b.Config.Handler)
	u, err := apiclient.ParseBaseURL(front.URL)
	require.NoError(t, err)
	c := bybit.New(u)
	c.API.Backoff = time.Millisecond
	return b, front, c
}

func TestQueryAPI(t *testing.T) {
	tests := []struct {
		name    string
		faults  []http.HandlerFunc
		creds   bybit.Credentials
		code    int
		errWant string
	}{
		{"live", nil, good, 0, ""},
		{"revoked: 10003", nil, bybit.Credentials{Key: "SYNTHbybitKey99999", Secret: good.Secret}, bybit.CodeInvalidKey, "unknown or revoked"},
		{"wrong secret: 10004", nil, bybit.Credentials{Key: good.Key, Secret: "SYNTHbybitSecretWRONG6789abcdefXYZ9"}, bybit.CodeSignError, "wrong secret"},
		{"rate-limited twice", []http.HandlerFunc{fixture.BybitError(429, 10006), fixture.BybitError(429, 10006)}, good, 0, "could not be reached (2 attempts): HTTP 429"},
		{"rate limit retCode at HTTP 200", []http.HandlerFunc{fixture.BybitError(200, 10006)}, good, bybit.CodeRateLimit, "rate limit reached"},
		{"malformed", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"retCode":0,"result":{"readOnly":0}}`) }}, good, 0, "are missing"},
		{"not JSON", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "<html>") }}, good, 0, "without a JSON answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, front, c := standIn(t)
			b.Next(tt.faults...)
			info, err := c.QueryAPI(context.Background(), tt.creds)
			if tt.errWant == "" {
				require.NoError(t, err)
				assert.Equal(t, []string{"AccountTransfer", "Withdraw"}, info.Permissions)
				assert.Equal(t, []string{"203.0.113.7"}, info.IPs)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errWant)
				if tt.code != 0 {
					api, ok := bybit.IsAPIError(err)
					require.True(t, ok)
					assert.Equal(t, tt.code, api.Code)
				}
				assert.NotContains(t, err.Error(), tt.creds.Secret)
				assert.NotContains(t, err.Error(), tt.creds.Key)
			}
			for _, req := range front.Requests() {
				assert.Empty(t, req.FieldsHolding(tt.creds.Secret), "the secret only keys the signature")
				assert.Subset(t, []string{"header X-Bapi-Api-Key"}, req.FieldsHolding(tt.creds.Key))
			}
		})
	}
}
