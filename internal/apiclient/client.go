// Package apiclient is the HTTP side every provider client of keygate
// shares (Bitget, Binance, OKX, Bybit, Telegram, Slack, GitHub): a checked base
// URL, bounded answers, one timeout per attempt, retries of network
// errors, 429 and 5xx only, and no redirect to another host or scheme
// (the credential headers would follow it).
//
// Invariants: it logs nothing and puts no request header or query into an
// error; a caller's credential travels only in what its sign callback
// sets, to the base URL's host.
package apiclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Limits of a client.
const (
	// Timeout bounds one attempt, connection to last byte.
	Timeout = 5 * time.Second
	// DefaultMaxBody bounds an answer.
	DefaultMaxBody = 1 << 20
	// DefaultAttempts is one try and one retry.
	DefaultAttempts = 2
)

// ParseBaseURL checks a base URL: https (http only to this machine, where a
// stand-in or a local proxy listens), a host, and nothing that could carry
// a credential or change the signed path (user info, query, fragment).
func ParseBaseURL(raw string) (*url.URL, error) { return ParseBaseURLCarrying(raw, "credentials") }

// ParseBaseURLCarrying is ParseBaseURL naming what plain http would send
// in clear ("the passphrase") in its error.
func ParseBaseURLCarrying(raw, carried string) (*url.URL, error) {
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
		return nil, fmt.Errorf("http to %s would send %s in clear: use https (http only to localhost)", u.Hostname(), carried)
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

// ResolveBaseURL returns the base URL to use: $env when set, else
// configured (named key in errors), else def; checked by ParseBaseURL.
func ResolveBaseURL(env, key, configured, def string) (*url.URL, error) {
	raw, source := configured, key
	if v := os.Getenv(env); v != "" {
		raw, source = v, env
	}
	if raw == "" {
		raw, source = def, "the default"
	}
	u, err := ParseBaseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return u, nil
}

// Client calls one provider's API. Build it with New.
type Client struct {
	// Provider names the API in errors ("Binance").
	Provider string
	base     *url.URL
	http     *http.Client
	// Attempts per request (1 = no retry).
	Attempts int
	// Backoff is the wait before a retry; it doubles each time. A 429's
	// Retry-After is honoured up to Timeout.
	Backoff time.Duration
	// MaxBody bounds the bytes read from one answer.
	MaxBody int64
}

// New returns a client of the API at base (see ParseBaseURL).
func New(provider string, base *url.URL) *Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.ResponseHeaderTimeout = Timeout
	b := *base
	c := &Client{Provider: provider, base: &b, Attempts: DefaultAttempts, Backoff: 500 * time.Millisecond, MaxBody: DefaultMaxBody}
	c.http = &http.Client{Timeout: Timeout, Transport: transport, CheckRedirect: c.checkRedirect}
	return c
}

// SetTimeout replaces the per-attempt timeout (tests).
func (c *Client) SetTimeout(d time.Duration) { c.http.Timeout = d }

// AttemptTimeout is the per-attempt timeout in force.
func (c *Client) AttemptTimeout() time.Duration { return c.http.Timeout }

// BaseURL is the API's base URL.
func (c *Client) BaseURL() string { return c.base.String() }

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return ErrRedirect
	}
	if len(via) >= 3 {
		return errors.New("more than 3 redirects")
	}
	return nil
}

// Request is one call (GET unless Method says otherwise): a path under the base URL and a query, built anew
// for each attempt by sign (timestamps, signatures), which also sets the
// headers.
type Request struct {
	// Method is GET when empty.
	Method string
	Path   string
	// Sign returns the attempt's raw query and sets its headers.
	Sign func(h http.Header) (query string)
}

// Answer is an answer that is neither 429 nor 5xx.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Get runs the request with retries.
func (c *Client) Get(ctx context.Context, r Request) (*Answer, error) {
	attempts := max(c.Attempts, 1)
	wait := c.Backoff
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return nil, &UnreachableError{Provider: c.Provider, Host: c.base.Host, Attempts: i, Err: last}
			}
			wait *= 2
		}
		ans, retryAfter, err := c.once(ctx, r)
		if err != nil {
			var bad *BadAnswerError
			if errors.As(err, &bad) || errors.Is(err, ErrRedirect) || ctx.Err() != nil {
				return nil, err
			}
			last = err
			continue
		}
		if ans.Status == http.StatusTooManyRequests || ans.Status >= 500 {
			last = &StatusError{Status: ans.Status}
			if retryAfter > wait {
				wait = min(retryAfter, Timeout)
			}
			continue
		}
		return ans, nil
	}
	return nil, &UnreachableError{Provider: c.Provider, Host: c.base.Host, Attempts: attempts, Err: last}
}

func (c *Client) once(ctx context.Context, r Request) (*Answer, time.Duration, error) {
	u := *c.base
	u.Path = c.base.Path + r.Path
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "keygate")
	if r.Sign != nil {
		req.URL.RawQuery = r.Sign(req.Header)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, ErrRedirect) {
			return nil, 0, fmt.Errorf("the answer of %s redirects elsewhere: %w", c.base.Host, ErrRedirect)
		}
		// url.Error quotes the URL, which may hold a signed query: keep
		// the cause only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, 0, err
	}
	defer resp.Body.Close()
	limit := c.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(body)) > limit {
		return nil, 0, &BadAnswerError{Provider: c.Provider, Why: fmt.Sprintf("larger than %d bytes", limit)}
	}
	var retryAfter time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, retryAfter, nil
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

// UnreachableError is a request that got no usable answer after every
// attempt: a network error, a timeout, or HTTP 429 or 5xx each time.
type UnreachableError struct {
	Provider, Host string
	Attempts       int
	Err            error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%s at %s could not be reached (%d attempts): %v", e.Provider, e.Host, e.Attempts, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// RateLimited reports whether every attempt was answered 429.
func (e *UnreachableError) RateLimited() bool {
	var st *StatusError
	return errors.As(e.Err, &st) && st.Status == http.StatusTooManyRequests
}

// StatusError is HTTP 429 or 5xx, once retries are spent.
type StatusError struct{ Status int }

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d", e.Status) }

// BadAnswerError is an answer keygate will not trust: too large, not JSON,
// or without the fields the API documents.
type BadAnswerError struct{ Provider, Why string }

func (e *BadAnswerError) Error() string { return e.Provider + "'s answer is unusable: " + e.Why }

// ErrRedirect is returned (wrapped) when an answer redirects to another
// host or scheme.
var ErrRedirect = errors.New("redirect to another host or scheme refused")

// Refused is the text of a provider's refusal (an answer with an error
// code): keygate's words for the code (desc, "" when it has none), the HTTP
// status and the code, never the provider's own message.
func Refused(provider, desc string, status int, code any) string {
	if desc != "" {
		return fmt.Sprintf("%s refused the request: %s (HTTP %d, code %v)", provider, desc, status, code)
	}
	return fmt.Sprintf("%s refused the request (HTTP %d, code %v)", provider, status, code)
}

// ShortMessage keeps at most n bytes of a provider's message, for an
// error that must not grow with an answer (callers never print it).
func ShortMessage(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
