// Package okx is a minimal client of OKX's REST API v5 for what keygate
// needs: a key's permissions and IP allowlist (GET /api/v5/account/config).
//
// Invariants: the secret only keys the HMAC; the key and passphrase travel
// in their OK-ACCESS-* headers only; none appears in an error or a
// formatted Credentials. OKX's free-text messages are never carried.
package okx

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/apiclient"
)

// DefaultBaseURL is OKX's REST domain; EnvBaseURL overrides the configured
// one.
const (
	DefaultBaseURL = "https://www.okx.com"
	EnvBaseURL     = "KEYGATE_OKX_BASE_URL"
	// PathAccountConfig is the endpoint keygate calls.
	PathAccountConfig = "/api/v5/account/config"
	// TimestampLayout is OK-ACCESS-TIMESTAMP: ISO 8601 UTC, milliseconds.
	TimestampLayout = "2006-01-02T15:04:05.000Z"
)

// OKX's documented error codes that keygate tells apart.
const (
	CodeOK               = "0"
	CodeRateLimit        = "50011" // HTTP 429
	CodeTimestampExpired = "50102"
	CodePassphraseWrong  = "50105"
	CodeIPNotAllowed     = "50110" // this host's IP is not on the key's allowlist
	CodeInvalidKey       = "50111" // Invalid OK-ACCESS-KEY: unknown or deleted
	CodeInvalidSign      = "50113" // the signature does not verify: wrong secret
)

// Describe returns keygate's words for a code, "" when unknown.
func Describe(code string) string {
	return map[string]string{
		CodeRateLimit:        "rate limit reached",
		CodeTimestampExpired: "timestamp expired (this host's clock)",
		CodePassphraseWrong:  "wrong passphrase",
		CodeIPNotAllowed:     "this host's IP is not on the key's allowlist",
		CodeInvalidKey:       "invalid API key (unknown or revoked)",
		CodeInvalidSign:      "invalid signature (wrong secret)",
	}[code]
}

// Credentials are one OKX API key, its secret and passphrase. Formatting
// them with any verb prints the key masked.
type Credentials struct{ Key, Secret, Passphrase string }

// String masks.
func (c Credentials) String() string { return "okx key " + detector.Mask(c.Key) }

// GoString masks too (%#v).
func (c Credentials) GoString() string { return c.String() }

// Format masks every verb.
func (c Credentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Sign returns OK-ACCESS-SIGN as OKX documents it:
// base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)),
// requestPath holding the query ("?a=1") when there is one.
func Sign(secret, timestamp, method, requestPath, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + method + requestPath + body))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Config is what account/config says of the key.
type Config struct {
	// Perm are the key's permissions: read_only, trade, withdraw.
	Perm []string
	// IPs is the key's allowlist (empty: none).
	IPs []string
}

// APIError is an answer of OKX with a code other than "0".
type APIError struct {
	HTTPStatus int
	Code       string
}

func (e *APIError) Error() string {
	return apiclient.Refused("OKX", Describe(e.Code), e.HTTPStatus, e.Code)
}

// Client calls OKX.
type Client struct {
	API *apiclient.Client
	// Now is the clock the timestamp is read from (tests move it).
	Now apiclient.Clock
}

// New returns a client of the API at base.
func New(base *url.URL) *Client { return &Client{API: apiclient.New("OKX", base)} }

// ResolveBaseURL is $KEYGATE_OKX_BASE_URL, else configured, else the
// default.
func ResolveBaseURL(configured string) (*url.URL, error) {
	return apiclient.ResolveBaseURL(EnvBaseURL, "exchanges.okx.base_url", configured, DefaultBaseURL)
}

var codeRE = regexp.MustCompile(`^[0-9]{1,8}$`)

// AccountConfig asks OKX about the key of creds.
func (c *Client) AccountConfig(ctx context.Context, creds Credentials) (*Config, error) {
	ans, err := c.API.Get(ctx, apiclient.Request{Path: PathAccountConfig, Sign: func(h http.Header) string {
		ts := c.Now.Now().UTC().Format(TimestampLayout)
		h.Set("OK-ACCESS-KEY", creds.Key)
		h.Set("OK-ACCESS-SIGN", Sign(creds.Secret, ts, http.MethodGet, PathAccountConfig, ""))
		h.Set("OK-ACCESS-TIMESTAMP", ts)
		h.Set("OK-ACCESS-PASSPHRASE", creds.Passphrase)
		return ""
	}})
	if err != nil {
		return nil, err
	}
	var env struct {
		Code json.RawMessage `json:"code"`
		Data []struct {
			Perm *string `json:"perm"`
			IP   *string `json:"ip"`
		} `json:"data"`
	}
	if err := json.Unmarshal(ans.Body, &env); err != nil || len(env.Code) == 0 {
		return nil, &apiclient.BadAnswerError{Provider: "OKX", Why: fmt.Sprintf("HTTP %d without a JSON answer carrying a code", ans.Status)}
	}
	code := strings.Trim(string(env.Code), `"`)
	if !codeRE.MatchString(code) {
		code = "?"
	}
	if code != CodeOK {
		return nil, &APIError{HTTPStatus: ans.Status, Code: code}
	}
	if ans.Status != http.StatusOK || len(env.Data) != 1 || env.Data[0].Perm == nil || env.Data[0].IP == nil {
		return nil, &apiclient.BadAnswerError{Provider: "OKX", Why: "data[0].perm and data[0].ip are missing"}
	}
	return &Config{Perm: split(*env.Data[0].Perm), IPs: split(*env.Data[0].IP)}, nil
}

func split(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// IsAPIError reports err as an OKX refusal.
func IsAPIError(err error) (*APIError, bool) {
	var api *APIError
	ok := errors.As(err, &api)
	return api, ok
}
