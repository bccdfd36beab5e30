package verifier

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/lazyre"
)

// Base URLs of the token providers and their overrides (a stand-in in
// tests; an enterprise host for GitHub).
const (
	TelegramBaseURL    = "https://api.telegram.org"
	TelegramEnvBaseURL = "KEYGATE_TELEGRAM_BASE_URL"
	SlackBaseURL       = "https://slack.com"
	SlackEnvBaseURL    = "KEYGATE_SLACK_BASE_URL"
	GitHubBaseURL      = "https://api.github.com"
	GitHubEnvBaseURL   = "KEYGATE_GITHUB_BASE_URL"
)

// tokenProvider is a provider whose credential is one bearer token.
type tokenProvider struct {
	name, title string
	api         *apiclient.Client
}

func (p *tokenProvider) Name() string  { return p.name }
func (p *tokenProvider) Title() string { return p.title }
func (p *tokenProvider) Parts() []Part { return []Part{PartToken} }

func tokenClient(name, title string, u *url.URL) *tokenProvider {
	c := apiclient.New(title, u)
	c.Attempts = Attempts
	return &tokenProvider{name: name, title: title, api: c}
}

// API is the provider's client (tests shorten its back-off).
func (p *tokenProvider) API() *apiclient.Client { return p.api }

// Telegram verifies a bot token with getMe (GET /bot<token>/getMe): the
// token travels in the path, as Telegram's Bot API documents.
type Telegram struct{ *tokenProvider }

// NewTelegram returns the Telegram verifier of the API at base.
func NewTelegram(base *url.URL) *Telegram {
	return &Telegram{tokenClient("telegram", "Telegram", base)}
}

var telegramTokenRE = lazyre.New(`^[0-9]{8,10}:[0-9A-Za-z_-]{35}$`)

// Verify asks Telegram about the token.
func (t *Telegram) Verify(ctx context.Context, c Credential) Verification {
	token := c.Get(PartToken)
	if !telegramTokenRE.MatchString(token) {
		// It goes into a path: nothing else may.
		return Verification{Status: Unknown, Reason: "not a Telegram bot token's shape, so it was not sent"}
	}
	ans, err := t.api.Get(ctx, apiclient.Request{Path: "/bot" + token + "/getMe"})
	if err != nil {
		return unreachable(err)
	}
	var body struct {
		OK        *bool `json:"ok"`
		ErrorCode int   `json:"error_code"`
		Result    *struct {
			IsBot bool `json:"is_bot"`
		} `json:"result"`
	}
	if err := json.Unmarshal(ans.Body, &body); err != nil || body.OK == nil {
		return badAnswer("Telegram", ans.Status, "without a JSON answer carrying ok")
	}
	switch {
	case *body.OK && body.Result != nil && ans.Status == http.StatusOK:
		return Verification{Status: Live, Reason: "Telegram accepted the token (getMe)"}
	case *body.OK:
		return badAnswer("Telegram", ans.Status, "ok without a result")
	case ans.Status == http.StatusUnauthorized || body.ErrorCode == 401:
		return Verification{Status: Revoked, Code: "401", Reason: "Telegram refused the token: Unauthorized (401: revoked with @BotFather, or never issued)"}
	case ans.Status == http.StatusNotFound:
		return Verification{Status: Unknown, Code: "404", Reason: "Telegram answered 404: not a token it can read"}
	}
	return Verification{Status: Unknown, Code: fmt.Sprint(body.ErrorCode), Reason: fmt.Sprintf("Telegram refused it (HTTP %d)", ans.Status)}
}

// Slack verifies a token with auth.test (POST /api/auth.test, the token in
// the Authorization header as a bearer token).
type Slack struct{ *tokenProvider }

// NewSlack returns the Slack verifier of the API at base.
func NewSlack(base *url.URL) *Slack { return &Slack{tokenClient("slack", "Slack", base)} }

var slackErrorRE = lazyre.New(`^[a-z_]{1,40}$`)

// Verify asks Slack about the token.
func (s *Slack) Verify(ctx context.Context, c Credential) Verification {
	ans, err := s.api.Get(ctx, apiclient.Request{Method: http.MethodPost, Path: "/api/auth.test", Sign: func(h http.Header) string {
		h.Set("Authorization", "Bearer "+c.Get(PartToken))
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		return ""
	}})
	if err != nil {
		return unreachable(err)
	}
	var body struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
		Team  string `json:"team_id"`
	}
	if err := json.Unmarshal(ans.Body, &body); err != nil || body.OK == nil || ans.Status != http.StatusOK {
		return badAnswer("Slack", ans.Status, "without a JSON answer carrying ok")
	}
	if *body.OK {
		return Verification{Status: Live, Reason: "Slack accepted the token (auth.test)"}
	}
	code := body.Error
	if !slackErrorRE.MatchString(code) {
		code = "?"
	}
	switch code {
	case "invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed":
		return Verification{Status: Revoked, Code: code, Reason: "Slack refused the token: " + code}
	case "ratelimited":
		return Verification{Status: Unknown, Code: code, Reason: "rate-limited by Slack"}
	}
	return Verification{Status: Unknown, Code: code, Reason: "Slack refused it: " + code}
}

// GitHub verifies a token with GET /user (the token in the Authorization
// header as a bearer token); a classic token's scopes come back in
// X-OAuth-Scopes.
type GitHub struct{ *tokenProvider }

// NewGitHub returns the GitHub verifier of the API at base.
func NewGitHub(base *url.URL) *GitHub { return &GitHub{tokenClient("github", "GitHub", base)} }

var scopeRE = lazyre.New(`^[a-z:_-]{1,40}$`)

// Verify asks GitHub about the token.
func (g *GitHub) Verify(ctx context.Context, c Credential) Verification {
	ans, err := g.api.Get(ctx, apiclient.Request{Path: "/user", Sign: func(h http.Header) string {
		h.Set("Authorization", "Bearer "+c.Get(PartToken))
		h.Set("Accept", "application/vnd.github+json")
		h.Set("X-GitHub-Api-Version", "2022-11-28")
		return ""
	}})
	if err != nil {
		return unreachable(err)
	}
	switch {
	case ans.Status == http.StatusOK:
		var user struct {
			Login *string `json:"login"`
		}
		if err := json.Unmarshal(ans.Body, &user); err != nil || user.Login == nil {
			return badAnswer("GitHub", ans.Status, "without a login")
		}
		v := Verification{Status: Live, Reason: "GitHub accepted the token (GET /user)"}
		for _, s := range strings.Split(ans.Header.Get("X-OAuth-Scopes"), ",") {
			if s = strings.TrimSpace(s); scopeRE.MatchString(s) {
				v.Permissions = append(v.Permissions, s)
			}
		}
		return v
	case ans.Status == http.StatusUnauthorized:
		return Verification{Status: Revoked, Code: "401", Reason: "GitHub refused the token: Bad credentials (401: revoked, expired or never issued)"}
	case ans.Status == http.StatusForbidden && ans.Header.Get("X-RateLimit-Remaining") == "0":
		return Verification{Status: Unknown, Code: "403", Reason: "rate-limited by GitHub (HTTP 403, no requests left)"}
	}
	return Verification{Status: Unknown, Code: fmt.Sprint(ans.Status), Reason: fmt.Sprintf("GitHub answered HTTP %d", ans.Status)}
}

func badAnswer(provider string, status int, why string) Verification {
	return unreachable(&apiclient.BadAnswerError{Provider: provider, Why: fmt.Sprintf("HTTP %d %s", status, why)})
}
