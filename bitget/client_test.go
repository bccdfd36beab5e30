package bitget_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/fixture"
)

// Synthetic credentials in Bitget's formats.
var (
	good = bitget.Credentials{Key: "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		Secret: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee01", Passphrase: "Marlin4Quiet8Dune"}
	other = bitget.Credentials{Key: "bg_a1b2c3d4e5f60718293a4b5c6d7e8f90",
		Secret: "5eed5eed0123456789abcdef0123456789abcdef0123456789abcdefdeadbeef", Passphrase: "Tide5Dgaharbor7"}
)

// Vectors computed with openssl (dgst -sha256 -hmac ... | base64), not
// with this package.
func TestSignMatchesDocumentedPreHash(t *testing.T) {
	assert.Equal(t, "F2Fxu9CbPTJ6JCCTldFT0QsxzVAgidj4woCjoOhM1zE=",
		bitget.Sign(good.Secret, "1700000000000", "GET", "/api/v2/spot/account/info", "", ""))
	assert.Equal(t, "H4vIY/XwDPIo7VRhPPPtbeIKgiXTUPWQAg5XhxRSTvM=",
		bitget.Sign(good.Secret, "1700000000000", "POST", "/api/v2/spot/trade/place-order", "a=1", `{"x":1}`))
}

func TestCredentialsNeverFormatAValue(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, good) + fmt.Sprintf(verb, &good)
		for _, v := range []string{good.Key, good.Secret, good.Passphrase, "c0ffee", "Marlin"} {
			assert.NotContains(t, out, v, verb)
		}
	}
	assert.Equal(t, "bitget key ****e1f0", good.String())
}

func newClient(t *testing.T, url string) *bitget.Client {
	t.Helper()
	u, err := bitget.ParseBaseURL(url)
	require.NoError(t, err)
	c := bitget.New(u)
	c.Backoff = 10 * time.Millisecond
	return c
}

func standIn(t *testing.T) (*fixture.Bitget, *bitget.Client) {
	b := fixture.NewBitget(t)
	b.Add(good.Key, fixture.BitgetAccount{Secret: good.Secret, Passphrase: good.Passphrase,
		Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.7,198.51.100.0/24"})
	return b, newClient(t, b.URL)
}

func TestAccountInfoAccepted(t *testing.T) {
	_, c := standIn(t)
	info, err := c.AccountInfo(context.Background(), good)
	require.NoError(t, err)
	assert.Equal(t, []string{"stow", "wwow"}, info.Authorities)
	assert.Equal(t, []string{"203.0.113.7", "198.51.100.0/24"}, info.IPs)
}

// Every refusal the stand-in answers as Bitget documents it comes back as
// an *APIError with its code, and its text holds no credential.
func TestAccountInfoRejected(t *testing.T) {
	b, c := standIn(t)
	b.Add(other.Key, fixture.BitgetAccount{Secret: other.Secret, Passphrase: other.Passphrase, IPDenied: true})
	tests := []struct {
		name  string
		creds bitget.Credentials
		code  string
	}{
		{"unknown or revoked key", bitget.Credentials{Key: "bg_ffffeeeeddddccccbbbbaaaa99998888", Secret: good.Secret, Passphrase: good.Passphrase}, bitget.CodeInvalidKey},
		{"wrong secret", bitget.Credentials{Key: good.Key, Secret: other.Secret, Passphrase: good.Passphrase}, bitget.CodeSignError},
		{"wrong passphrase", bitget.Credentials{Key: good.Key, Secret: good.Secret, Passphrase: "Wrong1Passphrase"}, bitget.CodePassphraseError},
		{"IP not in the allowlist", other, bitget.CodeIPNotAllowed},
		{"empty passphrase", bitget.Credentials{Key: good.Key, Secret: good.Secret}, "40011"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.AccountInfo(context.Background(), tt.creds)
			var api *bitget.APIError
			require.ErrorAs(t, err, &api)
			assert.Equal(t, tt.code, api.Code)
			assert.Equal(t, http.StatusBadRequest, api.HTTPStatus)
			for _, v := range []string{tt.creds.Key, tt.creds.Secret, tt.creds.Passphrase} {
				if v != "" {
					assert.NotContains(t, err.Error(), v)
				}
			}
		})
	}
}

// A host clock 2 minutes off: Bitget refuses the timestamp (40008);
// SyncClock measures the skew and signed requests then pass.
func TestClockSkew(t *testing.T) {
	b, c := standIn(t)
	b.SetClockOffset(2 * time.Minute)
	_, err := c.AccountInfo(context.Background(), good)
	var api *bitget.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, bitget.CodeTimestampExpired, api.Code)
	assert.Contains(t, err.Error(), "timestamp expired")

	skew, err := c.SyncClock(context.Background())
	require.NoError(t, err)
	assert.InDelta(t, (2 * time.Minute).Seconds(), skew.Seconds(), 2)
	_, err = c.AccountInfo(context.Background(), good)
	assert.NoError(t, err)
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name    string
		faults  []http.HandlerFunc
		ok      bool
		calls   int
		errWant string
	}{
		{"429 then success", []http.HandlerFunc{fixture.Status(429)}, true, 2, ""},
		{"503 then 502 then success", []http.HandlerFunc{fixture.Status(503), fixture.Status(502)}, true, 3, ""},
		{"5xx every time", []http.HandlerFunc{fixture.Status(500), fixture.Status(500), fixture.Status(500)}, false, 3, "could not be reached (3 attempts): HTTP 500"},
		{"a 4xx without JSON is not retried", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(403)
			fmt.Fprint(w, "<html>forbidden</html>")
		}}, false, 1, "unusable: HTTP 403 without a JSON answer"},
		{"malformed data", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"code":"00000","msg":"success","data":{"authorities":"stow","ips":""}}`)
		}}, false, 1, "does not have the documented shape"},
		{"missing authorities", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"code":"00000","msg":"success","data":{"ips":""}}`)
		}}, false, 1, "authorities is missing"},
		{"oversized answer", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"code":"00000","msg":"`+strings.Repeat("x", 2<<20)+`"}`)
		}}, false, 1, "larger than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c := standIn(t)
			b.Next(tt.faults...)
			_, err := c.AccountInfo(context.Background(), good)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errWant)
			}
			assert.Equal(t, tt.calls, b.Calls(bitget.PathAccountInfo))
		})
	}
}

func TestNetworkFailure(t *testing.T) {
	b, c := standIn(t)
	b.Close() // nothing listens any more
	_, err := c.AccountInfo(context.Background(), good)
	var un *bitget.UnreachableError
	require.ErrorAs(t, err, &un)
	assert.Equal(t, 3, un.Attempts)
	_, err = c.SyncClock(context.Background())
	assert.ErrorAs(t, err, &un)
}

// A redirect to another host is refused: the other host never sees the
// ACCESS-* headers.
func TestRedirectElsewhereRefused(t *testing.T) {
	var leaked atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("ACCESS-KEY") != "" || r.Header.Get("ACCESS-PASSPHRASE") != "" {
			leaked.Add(1)
		}
		fmt.Fprint(w, `{"code":"00000","data":{"authorities":[],"ips":""}}`)
	}))
	defer evil.Close()
	b, c := standIn(t)
	b.Next(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.URL+r.URL.Path, http.StatusFound)
	})
	_, err := c.AccountInfo(context.Background(), good)
	require.ErrorIs(t, err, bitget.ErrRedirect)
	assert.Zero(t, leaked.Load())
	assert.Equal(t, 1, b.Calls(bitget.PathAccountInfo), "a refused redirect is not retried")
}

func TestResolveBaseURL(t *testing.T) {
	tests := []struct {
		env, configured, want, errWant string
	}{
		{"", "", "https://api.bitget.com", ""},
		{"", "https://proxy.synthetic.invalid/bitget/", "https://proxy.synthetic.invalid/bitget", ""},
		{"http://127.0.0.1:9", "https://proxy.synthetic.invalid", "http://127.0.0.1:9", ""},
		{"", "ftp://api.bitget.com", "", "exchanges.bitget.base_url: scheme \"ftp\""},
		{"https://user:Tide5Dgaharbor7@api.bitget.com", "", "", "KEYGATE_BITGET_BASE_URL: must not hold user info"},
		{"", "https://api.bitget.com?x=1", "", "query"},
		{"", "https://", "", "no host"},
		{"", "http://api.bitget.com", "", "would send the passphrase in clear"},
		{"http://localhost:8080/bitget", "", "http://localhost:8080/bitget", ""},
	}
	for _, tt := range tests {
		t.Run(tt.env+tt.configured, func(t *testing.T) {
			t.Setenv(bitget.EnvBaseURL, tt.env)
			u, _, err := bitget.ResolveBaseURL(tt.configured)
			if tt.errWant != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errWant)
				assert.NotContains(t, err.Error(), "Tide5Dgaharbor7")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
		})
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	b, c := standIn(t)
	c.Backoff = time.Hour
	b.Next(fixture.Status(503))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.AccountInfo(ctx, good)
	var un *bitget.UnreachableError
	assert.True(t, errors.As(err, &un))
	assert.Less(t, time.Since(start), 10*time.Second)
}
