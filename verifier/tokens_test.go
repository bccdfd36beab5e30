package verifier_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/verifier"
)

// tokenCase is one token provider's verifier against the STAND-IN
// (internal/fixture.Tokens), behind a front door that records requests.
type tokenCase struct {
	name, live, revoked string
	field               string // where the token may travel
	code                string
	newV                func(base string) verifier.Provider
	limited             http.HandlerFunc
	malformed           string
}

// quick builds a token verifier of the stand-in at base, retrying after
// 1 ms instead of the real back-off.
func quick[P interface {
	verifier.Provider
	API() *apiclient.Client
}](newP func(*url.URL) P) func(base string) verifier.Provider {
	return func(base string) verifier.Provider {
		u, _ := apiclient.ParseBaseURL(base)
		p := newP(u)
		p.API().Backoff = time.Millisecond
		return p
	}
}

func tokenCases() []tokenCase {
	return []tokenCase{
		{name: "telegram", live: "7319054826:AAHk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Ja7", revoked: "7319054826:AAHk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Jb8",
			field: "path", code: "401", newV: quick(verifier.NewTelegram),
			limited: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(429)
				fmt.Fprint(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
			}, malformed: `{"result":{}}`},
		{name: "slack", live: "xoxb-482915736104-5928374610293-Rk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3", revoked: "xoxb-482915736104-5928374610293-Rk2Wq8Zt5Yx1Mv7Lp4Nc9Zz9",
			field: "header Authorization", code: "invalid_auth", newV: quick(verifier.NewSlack),
			limited: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(429)
				fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
			}, malformed: `{"team":"x"}`},
		{name: "github", live: "ghp_Rk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Ja7Qe1", revoked: "ghp_Rk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Ja7Zz9",
			field: "header Authorization", code: "401", newV: quick(verifier.NewGitHub),
			limited: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(429)
				fmt.Fprint(w, `{"message":"API rate limit exceeded"}`)
			}, malformed: `{"id":1}`},
	}
}

func TestTokenVerdicts(t *testing.T) {
	for _, tc := range tokenCases() {
		t.Run(tc.name, func(t *testing.T) {
			run := func(t *testing.T, token string, faults ...http.HandlerFunc) verifier.Verification {
				s := fixture.NewTokens(t)
				s.AddToken(tc.live)
				front := fixture.NewCapture(t, s.Config.Handler)
				s.Next(faults...)
				c := verifier.Credential{Provider: tc.name, Parts: map[verifier.Part]string{verifier.PartToken: token}}
				v := tc.newV(front.URL).Verify(context.Background(), c)
				assertNoValue(t, fmt.Sprintf("%+v %s", v, v.Summary()), c)
				require.NotEmpty(t, front.Requests())
				for _, r := range front.Requests() {
					assertOnlyIn(t, r, c, map[verifier.Part]string{verifier.PartToken: tc.field})
				}
				return v
			}
			v := run(t, tc.live)
			assert.Equal(t, verifier.Live, v.Status, v.Reason)
			v = run(t, tc.revoked)
			assert.Equal(t, verifier.Revoked, v.Status, v.Reason)
			assert.Equal(t, tc.code, v.Code)
			v = run(t, tc.live, tc.limited, tc.limited)
			assert.Equal(t, verifier.Unknown, v.Status)
			assert.Contains(t, v.Reason, "rate-limited")
			v = run(t, tc.live, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, tc.malformed) })
			assert.Equal(t, verifier.Unknown, v.Status)
			assert.Contains(t, v.Reason, "unusable")
		})
	}
}

// GitHub lists a classic token's scopes.
func TestGitHubScopes(t *testing.T) {
	s := fixture.NewTokens(t)
	tc := tokenCases()[2]
	s.AddToken(tc.live)
	v := tc.newV(s.URL).Verify(context.Background(), verifier.Credential{Provider: "github", Parts: map[verifier.Part]string{verifier.PartToken: tc.live}})
	assert.Equal(t, []string{"repo", "workflow"}, v.Permissions)
}
