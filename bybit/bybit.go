// Package bybit is a minimal client of Bybit's REST API v5 for what keygate
// needs: a key's permissions and IP allowlist (GET /v5/user/query-api).
//
// Invariants: the secret only keys the HMAC; the key travels in the
// X-BAPI-API-KEY header only; neither appears in an error or a formatted
// Credentials. Bybit's free-text messages are never carried.
package bybit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/apiclient"
)

// DefaultBaseURL is Bybit's REST domain; EnvBaseURL overrides the
// configured one.
const (
	DefaultBaseURL = "https://api.bybit.com"
	EnvBaseURL     = "KEYGATE_BYBIT_BASE_URL"
	// PathQueryAPI is the endpoint keygate calls.
	PathQueryAPI = "/v5/user/query-api"
	// RecvWindow is X-BAPI-RECV-WINDOW in milliseconds.
	RecvWindow = "5000"
)

// Bybit's documented retCodes that keygate tells apart.
const (
	CodeTimestamp    = 10002 // outside recv_window: this host's clock
	CodeInvalidKey   = 10003 // API key is invalid: unknown or deleted
	CodeSignError    = 10004 // the signature does not verify: wrong secret
	CodeRateLimit    = 10006 // too many visits
	CodeIPNotAllowed = 10010 // this host's IP is not bound to the key
)

// Describe returns keygate's words for a code, "" when unknown.
func Describe(code int) string {
	return map[int]string{
		CodeTimestamp:    "timestamp outside recv_window (this host's clock)",
		CodeInvalidKey:   "invalid API key (unknown or revoked)",
		CodeSignError:    "signature error (wrong secret)",
		CodeRateLimit:    "rate limit reached",
		CodeIPNotAllowed: "this host's IP is not bound to the key",
	}[code]
}

// Credentials are one Bybit API key and its secret. Formatting them with
// any verb prints the key masked.
type Credentials struct{ Key, Secret string }

// String masks.
func (c Credentials) String() string { return "bybit key " + detector.Mask(c.Key) }

// GoString masks too (%#v).
func (c Credentials) GoString() string { return c.String() }

// Format masks every verb.
func (c Credentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Sign returns X-BAPI-SIGN as Bybit documents it for HMAC keys:
// hex(HMAC-SHA256(secret, timestamp + apiKey + recvWindow + queryString)).
func Sign(secret, timestamp, apiKey, recvWindow, query string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + apiKey + recvWindow + query))
	return hex.EncodeToString(mac.Sum(nil))
}

// KeyInfo is what query-api says of the key.
type KeyInfo struct {
	ReadOnly bool
	// Permissions are the granted permission names (Withdraw,
	// AccountTransfer, SpotTrade, Order, ...), sorted.
	Permissions []string
	// IPs is the allowlist; empty when the key is bound to no IP ("*").
	IPs []string
}

// APIError is an answer with a retCode other than 0.
type APIError struct {
	HTTPStatus int
	Code       int
}

func (e *APIError) Error() string {
	return apiclient.Refused("Bybit", Describe(e.Code), e.HTTPStatus, e.Code)
}

// Client calls Bybit.
type Client struct {
	API *apiclient.Client
	// Now is the clock the timestamp is read from (tests move it).
	Now apiclient.Clock
}

// New returns a client of the API at base.
func New(base *url.URL) *Client { return &Client{API: apiclient.New("Bybit", base)} }

// ResolveBaseURL is $KEYGATE_BYBIT_BASE_URL, else configured, else the
// default.
func ResolveBaseURL(configured string) (*url.URL, error) {
	return apiclient.ResolveBaseURL(EnvBaseURL, "exchanges.bybit.base_url", configured, DefaultBaseURL)
}

// QueryAPI asks Bybit about the key of creds.
func (c *Client) QueryAPI(ctx context.Context, creds Credentials) (*KeyInfo, error) {
	ans, err := c.API.Get(ctx, apiclient.Request{Path: PathQueryAPI, Sign: func(h http.Header) string {
		ts := strconv.FormatInt(c.Now.Now().UnixMilli(), 10)
		h.Set("X-BAPI-API-KEY", creds.Key)
		h.Set("X-BAPI-TIMESTAMP", ts)
		h.Set("X-BAPI-RECV-WINDOW", RecvWindow)
		h.Set("X-BAPI-SIGN", Sign(creds.Secret, ts, creds.Key, RecvWindow, ""))
		return ""
	}})
	if err != nil {
		return nil, err
	}
	var env struct {
		RetCode *int `json:"retCode"`
		Result  *struct {
			ReadOnly    *int                `json:"readOnly"`
			Permissions map[string][]string `json:"permissions"`
			IPs         []string            `json:"ips"`
		} `json:"result"`
	}
	if err := json.Unmarshal(ans.Body, &env); err != nil || env.RetCode == nil {
		return nil, &apiclient.BadAnswerError{Provider: "Bybit", Why: fmt.Sprintf("HTTP %d without a JSON answer carrying retCode", ans.Status)}
	}
	if *env.RetCode != 0 {
		return nil, &APIError{HTTPStatus: ans.Status, Code: *env.RetCode}
	}
	if ans.Status != http.StatusOK || env.Result == nil || env.Result.ReadOnly == nil || env.Result.Permissions == nil || env.Result.IPs == nil {
		return nil, &apiclient.BadAnswerError{Provider: "Bybit", Why: "result.readOnly, result.permissions and result.ips are missing"}
	}
	info := &KeyInfo{ReadOnly: *env.Result.ReadOnly == 1}
	for _, perms := range env.Result.Permissions {
		info.Permissions = append(info.Permissions, perms...)
	}
	sort.Strings(info.Permissions)
	for _, ip := range env.Result.IPs {
		if ip != "*" && ip != "" {
			info.IPs = append(info.IPs, ip)
		}
	}
	return info, nil
}

// IsAPIError reports err as a Bybit refusal.
func IsAPIError(err error) (*APIError, bool) {
	var api *APIError
	ok := errors.As(err, &api)
	return api, ok
}
