package verifier_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/verifier"
)

var (
	bgLive    = verifier.Credential{Provider: "bitget", Parts: map[verifier.Part]string{verifier.PartKey: "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0", verifier.PartSecret: strings.Repeat("c0ffee01", 8), verifier.PartPassphrase: "Marlin4Quiet8Dune"}}
	bgRevoked = verifier.Credential{Provider: "bitget", Parts: map[verifier.Part]string{verifier.PartKey: "bg_a1b2c3d4e5f60718293a4b5c6d7e8f90", verifier.PartSecret: strings.Repeat("5eed5eed", 8), verifier.PartPassphrase: "Tide5Dgaharbor7"}}
)

// newBitget is the verifier against a STAND-IN Bitget (internal/fixture),
// behind a front door that records every request.
func newBitget(t *testing.T) (*fixture.Bitget, *fixture.Capture, *verifier.Bitget) {
	b := fixture.NewBitget(t)
	b.Add(bgLive.Get(verifier.PartKey), fixture.BitgetAccount{Secret: bgLive.Get(verifier.PartSecret), Passphrase: bgLive.Get(verifier.PartPassphrase),
		Authorities: []string{"stow", "wwow"}, IPs: ""})
	front := fixture.NewCapture(t, b.Config.Handler)
	u, err := bitget.ParseBaseURL(front.URL)
	require.NoError(t, err)
	c := bitget.New(u)
	c.Backoff = time.Millisecond
	return b, front, verifier.NewBitget(c)
}

func TestBitgetVerdicts(t *testing.T) {
	wrongSecret := verifier.Credential{Provider: "bitget", Parts: map[verifier.Part]string{verifier.PartKey: bgLive.Get(verifier.PartKey), verifier.PartSecret: bgRevoked.Get(verifier.PartSecret), verifier.PartPassphrase: bgLive.Get(verifier.PartPassphrase)}}
	tests := []struct {
		name   string
		faults []http.HandlerFunc
		cred   verifier.Credential
		status verifier.Status
		code   string
		reason string
	}{
		{"live, withdraw enabled, no allowlist", nil, bgLive, verifier.Live, "", "Bitget accepted the key"},
		{"revoked: Invalid ACCESS_KEY (40006)", nil, bgRevoked, verifier.Revoked, "40006", "invalid API key (unknown or revoked)"},
		{"wrong secret proves nothing", nil, wrongSecret, verifier.Unknown, "40009", "does not sign for it"},
		{"rate-limited on both attempts", []http.HandlerFunc{fixture.Status(429), fixture.Status(429)}, bgLive, verifier.Unknown, "", "rate-limited (HTTP 429 on every attempt)"},
		{"rate-limited once, then live (one retry)", []http.HandlerFunc{fixture.Status(429)}, bgLive, verifier.Live, "", "accepted"},
		{"malformed answer", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"code":"00000","data":{"authorities":"stow"}}`)
		}}, bgLive, verifier.Unknown, "", "does not have the documented shape"},
		{"not JSON", []http.HandlerFunc{func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(403)
			fmt.Fprint(w, "<html>"+bgLive.Get(verifier.PartSecret)+"</html>")
		}}, bgLive, verifier.Unknown, "", "without a JSON answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, front, v := newBitget(t)
			// The first request is the clock sync, which a fault would
			// answer: it gets an answer without data (the verifier then
			// signs with its own clock, as when the sync fails).
			b.Next(fixture.Refusal(200, "00000", ""))
			b.Next(tt.faults...)
			got := v.Verify(context.Background(), tt.cred)
			assert.Equal(t, tt.status, got.Status, got.Reason)
			assert.Equal(t, tt.code, got.Code)
			assert.Contains(t, got.Reason, tt.reason)
			if tt.name == tests[0].name {
				require.NotNil(t, got.WithdrawEnabled)
				assert.True(t, *got.WithdrawEnabled)
				require.NotNil(t, got.IPAllowlist)
				assert.False(t, *got.IPAllowlist)
				assert.Equal(t, []string{"spot trade", "withdraw"}, got.Permissions)
			}
			assertNoValue(t, fmt.Sprintf("%+v", got), tt.cred)
			for _, r := range front.Requests() {
				assert.Equal(t, http.MethodGet, r.Method)
				assertOnlyIn(t, r, tt.cred, map[verifier.Part]string{verifier.PartKey: "header Access-Key", verifier.PartPassphrase: "header Access-Passphrase"})
			}
		})
	}
}

// assertNoValue checks that text holds no part of c.
func assertNoValue(t *testing.T, text string, c verifier.Credential) {
	t.Helper()
	for p, v := range c.Parts {
		assert.NotContains(t, text, v, "the %s", p)
	}
}

// assertOnlyIn checks that each part of c travels in the request only in
// the field the provider documents for it (allowed; a part not named
// there, the secret, in no field at all: only in the signature's input).
func assertOnlyIn(t *testing.T, r fixture.Request, c verifier.Credential, allowed map[verifier.Part]string) {
	t.Helper()
	for p, v := range c.Parts {
		assert.Subset(t, []string{allowed[p]}, r.FieldsHolding(v), "where the %s travels", p)
	}
}
