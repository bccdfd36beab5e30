package bitget

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is Bitget's REST domain.
const DefaultBaseURL = "https://api.bitget.com"

// EnvBaseURL overrides the configured base URL (tests, proxies).
const EnvBaseURL = "KEYGATE_BITGET_BASE_URL"

// Limits of a client, as Bitget and the policy need them.
const (
	// Timeout bounds one attempt, connection to last byte.
	Timeout = 5 * time.Second
	// MaxSkew is how far a request's timestamp may be from Bitget's clock.
	MaxSkew = 30 * time.Second
	// DefaultMaxBody bounds an answer: account info is well under 4 KiB.
	DefaultMaxBody = 1 << 20
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

// ParseBaseURL checks a base URL: https (http only to this machine, where
// a stand-in or a local proxy listens: the headers carry the passphrase), a
// host, and nothing that could carry a credential or change the signed path
// (user info, query, fragment).
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("scheme %q: want https (or http for a local stand-in)", u.Scheme)
	case u.Host == "":
		return nil, errors.New("no host")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return nil, fmt.Errorf("http to %s would send the passphrase in clear: use https (http only to localhost)", u.Hostname())
	case u.User != nil:
		return nil, errors.New("must not hold user info: credentials go in env/.env only")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, errors.New("must not hold a query or fragment")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Client calls Bitget. The zero value is not usable: build one with New.
type Client struct {
	base *url.URL
	http *http.Client
	// Now is the local clock (tests move it).
	Now func() time.Time
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
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.ResponseHeaderTimeout = Timeout
	b := *base
	c := &Client{base: &b, Attempts: DefaultAttempts, Backoff: 500 * time.Millisecond, MaxBody: DefaultMaxBody}
	c.http = &http.Client{Timeout: Timeout, Transport: transport, CheckRedirect: c.checkRedirect}
	return c
}

// BaseURL is the API's base URL.
func (c *Client) BaseURL() string { return c.base.String() }

// checkRedirect follows a redirect only on the same scheme and host, at
// most three times: elsewhere the ACCESS-* headers would go along.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return ErrRedirect
	}
	if len(via) >= 3 {
		return errors.New("more than 3 redirects")
	}
	return nil
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// SyncClock asks Bitget for its time and returns how far the local clock is
// behind it (negative: ahead). Signed requests from then on carry Bitget's
// time, so a skewed host still gets true answers; the caller says so when
// the skew exceeds MaxSkew, since every other client on the host fails.
func (c *Client) SyncClock(ctx context.Context) (time.Duration, error) {
	before := c.now()
	var data struct {
		ServerTime json.RawMessage `json:"serverTime"`
	}
	if err := c.do(ctx, PathServerTime, nil, &data); err != nil {
		return 0, err
	}
	after := c.now()
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
	return strconv.FormatInt(c.now().Add(off).UnixMilli(), 10)
}

// envelope is every v2 answer: code "00000" on success, data the payload.
type envelope struct {
	Code json.RawMessage `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// do runs GET path (signed when creds is not nil) with retries, and decodes
// data into out.
func (c *Client) do(ctx context.Context, path string, creds *Credentials, out any) error {
	attempts := max(c.Attempts, 1)
	wait := c.Backoff
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return &UnreachableError{Host: c.base.Host, Attempts: i, Err: last}
			}
			wait *= 2
		}
		body, status, retryAfter, err := c.once(ctx, path, creds)
		if err != nil {
			var bad *BadAnswerError
			if errors.As(err, &bad) || errors.Is(err, ErrRedirect) || ctx.Err() != nil {
				return err
			}
			last = err // a network error: retry
			continue
		}
		if status == http.StatusTooManyRequests || status >= 500 {
			last = &StatusError{Status: status}
			if retryAfter > wait {
				wait = min(retryAfter, Timeout)
			}
			continue
		}
		return decode(body, status, out)
	}
	return &UnreachableError{Host: c.base.Host, Attempts: attempts, Err: last}
}

// once is one attempt: the body (bounded), the status and a Retry-After.
func (c *Client) once(ctx context.Context, path string, creds *Credentials) ([]byte, int, time.Duration, error) {
	u := *c.base
	u.Path = c.base.Path + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("locale", "en-US")
	if creds != nil {
		ts := c.timestamp()
		req.Header.Set("ACCESS-KEY", creds.Key)
		req.Header.Set("ACCESS-SIGN", Sign(creds.Secret, ts, http.MethodGet, path, "", ""))
		req.Header.Set("ACCESS-TIMESTAMP", ts)
		req.Header.Set("ACCESS-PASSPHRASE", creds.Passphrase)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, ErrRedirect) {
			return nil, 0, 0, fmt.Errorf("the answer of %s redirects elsewhere: %w", c.base.Host, ErrRedirect)
		}
		return nil, 0, 0, err
	}
	defer resp.Body.Close()
	limit := c.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, 0, 0, err
	}
	if int64(len(body)) > limit {
		return nil, 0, 0, &BadAnswerError{Why: fmt.Sprintf("larger than %d bytes", limit)}
	}
	var retryAfter time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return body, resp.StatusCode, retryAfter, nil
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

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
