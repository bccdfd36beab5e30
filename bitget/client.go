package bitget

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keygate/keygate/internal/apiclient"
)

// DefaultBaseURL is Bitget's REST domain.
const DefaultBaseURL = "https://api.bitget.com"

// EnvBaseURL overrides the configured base URL (tests, proxies).
const EnvBaseURL = "KEYGATE_BITGET_BASE_URL"

// Limits of a client, as Bitget and the policy need them.
const (
	// Timeout bounds one attempt, connection to last byte.
	Timeout = apiclient.Timeout
	// MaxSkew is how far a request's timestamp may be from Bitget's clock.
	MaxSkew = 30 * time.Second
	// DefaultMaxBody bounds an answer: account info is well under 4 KiB.
	DefaultMaxBody = apiclient.DefaultMaxBody
	// DefaultAttempts is one try and two retries.
	DefaultAttempts = 3
)

// Paths of the API v2 endpoints keygate calls.
const (
	PathServerTime  = "/api/v2/public/time"
	PathAccountInfo = "/api/v2/spot/account/info"
)

// ResolveBaseURL returns the base URL to use: $KEYGATE_BITGET_BASE_URL when
// set, else configured, else DefaultBaseURL; it is checked by ParseBaseURL.
// source names where it came from, for errors.
func ResolveBaseURL(configured string) (u *url.URL, source string, err error) {
	raw, source := configured, "exchanges.bitget.base_url"
	if env := os.Getenv(EnvBaseURL); env != "" {
		raw, source = env, EnvBaseURL
	}
	if raw == "" {
		raw, source = DefaultBaseURL, "the default"
	}
	u, err = ParseBaseURL(raw)
	if err != nil {
		return nil, source, fmt.Errorf("%s: %w", source, err)
	}
	return u, source, nil
}

// ParseBaseURL checks a base URL as apiclient.ParseBaseURL does: https
// (http only to this machine, where a stand-in or a local proxy listens:
// the headers carry the passphrase), a host, and nothing that could carry
// a credential or change the signed path (user info, query, fragment).
func ParseBaseURL(raw string) (*url.URL, error) {
	return apiclient.ParseBaseURLCarrying(raw, "the passphrase")
}

// Client calls Bitget. The zero value is not usable: build one with New.
type Client struct {
	// api is the shared HTTP layer: its own Attempts, Backoff and MaxBody
	// are replaced on each call by this client's.
	api *apiclient.Client
	// Now is the local clock (tests move it).
	Now apiclient.Clock
	// Attempts per request (1 = no retry).
	Attempts int
	// Backoff is the first wait before a retry; it doubles each time. A
	// 429's Retry-After is honoured up to Timeout.
	Backoff time.Duration
	// MaxBody bounds the bytes read from one answer.
	MaxBody int64

	mu     sync.Mutex
	offset time.Duration // Bitget's clock minus the local one, once synced
}

// New returns a client of the API at base (see ParseBaseURL).
func New(base *url.URL) *Client {
	return &Client{api: apiclient.New("Bitget", base), Attempts: DefaultAttempts, Backoff: 500 * time.Millisecond, MaxBody: DefaultMaxBody}
}

// BaseURL is the API's base URL.
func (c *Client) BaseURL() string { return c.api.BaseURL() }

// SyncClock asks Bitget for its time and returns how far the local clock is
// behind it (negative: ahead). Signed requests from then on carry Bitget's
// time, so a skewed host still gets true answers; the caller says so when
// the skew exceeds MaxSkew, since every other client on the host fails.
func (c *Client) SyncClock(ctx context.Context) (time.Duration, error) {
	before := c.Now.Now()
	var data struct {
		ServerTime json.RawMessage `json:"serverTime"`
	}
	if err := c.do(ctx, PathServerTime, nil, &data); err != nil {
		return 0, err
	}
	after := c.Now.Now()
	ms, err := strconv.ParseInt(strings.Trim(string(data.ServerTime), `"`), 10, 64)
	if err != nil || ms <= 0 {
		return 0, &BadAnswerError{Why: "data.serverTime is not a time in milliseconds"}
	}
	local := before.Add(after.Sub(before) / 2)
	skew := time.UnixMilli(ms).Sub(local)
	c.mu.Lock()
	c.offset = skew
	c.mu.Unlock()
	return skew, nil
}

// timestamp is ACCESS-TIMESTAMP: Bitget's time in milliseconds, as well as
// keygate knows it.
func (c *Client) timestamp() string {
	c.mu.Lock()
	off := c.offset
	c.mu.Unlock()
	return strconv.FormatInt(c.Now.Now().Add(off).UnixMilli(), 10)
}

// envelope is every v2 answer: code "00000" on success, data the payload.
type envelope struct {
	Code json.RawMessage `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// do runs GET path (signed when creds is not nil) with retries, and decodes
// data into out. apiclient follows a redirect only on the same scheme and
// host, at most three times: elsewhere the ACCESS-* headers would go along.
func (c *Client) do(ctx context.Context, path string, creds *Credentials, out any) error {
	api := *c.api
	api.Attempts, api.Backoff, api.MaxBody = c.Attempts, c.Backoff, c.MaxBody
	ans, err := api.Get(ctx, apiclient.Request{Path: path, Sign: func(h http.Header) string {
		h.Set("Content-Type", "application/json")
		h.Set("locale", "en-US")
		if creds != nil {
			ts := c.timestamp()
			h.Set("ACCESS-KEY", creds.Key)
			h.Set("ACCESS-SIGN", Sign(creds.Secret, ts, http.MethodGet, path, "", ""))
			h.Set("ACCESS-TIMESTAMP", ts)
			h.Set("ACCESS-PASSPHRASE", creds.Passphrase)
		}
		return ""
	}})
	if err != nil {
		return fromAPIClient(err)
	}
	return decode(ans.Body, ans.Status, out)
}

// decode checks the envelope and decodes data into out.
func decode(body []byte, status int, out any) error {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil || len(env.Code) == 0 {
		return &BadAnswerError{Why: fmt.Sprintf("HTTP %d without a JSON answer carrying a code", status)}
	}
	code := strings.Trim(string(env.Code), `"`)
	if code != CodeOK {
		msg := env.Msg
		if len(msg) > maxShownMessageLength {
			msg = msg[:maxShownMessageLength]
		}
		return &APIError{HTTPStatus: status, Code: safeCode(code), Msg: msg}
	}
	if status != http.StatusOK {
		return &BadAnswerError{Why: fmt.Sprintf("HTTP %d with code 00000", status)}
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return &BadAnswerError{Why: "no data"}
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return &BadAnswerError{Why: "data does not have the documented shape"}
	}
	return nil
}
