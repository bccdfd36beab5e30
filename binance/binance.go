// Package binance is a minimal client of Binance's REST API for what
// keygate needs: a key's permissions (GET /sapi/v1/account/apiRestrictions,
// a SIGNED USER_DATA endpoint).
//
// Invariants: the secret only keys the HMAC; the key travels in the
// X-MBX-APIKEY header only; neither appears in an error or a formatted
// Credentials. Binance's free-text messages are never carried.
package binance

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
	"strconv"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/apiclient"
)

// DefaultBaseURL is Binance's REST domain; EnvBaseURL overrides the
// configured one (a testnet, a stand-in in tests).
const (
	DefaultBaseURL = "https://api.binance.com"
	EnvBaseURL     = "KEYGATE_BINANCE_BASE_URL"
	// PathAPIRestrictions is the endpoint keygate calls.
	PathAPIRestrictions = "/sapi/v1/account/apiRestrictions"
	// RecvWindow is how long (ms) after its timestamp Binance may accept
	// the request.
	RecvWindow = 5000
)

// Binance's documented error codes that keygate tells apart.
const (
	CodeInvalidTimestamp = -1021 // outside recvWindow: this host's clock
	CodeBadSignature     = -1022 // the signature does not verify: wrong secret
	CodeBadAPIID         = -2008 // Invalid Api-Key ID
	CodeKeyFormat        = -2014 // API-key format invalid
	CodeRejectedKey      = -2015 // Invalid API-key, IP, or permissions for action
)

// Describe returns keygate's words for a code, "" when unknown.
func Describe(code int) string {
	return map[int]string{
		CodeInvalidTimestamp: "timestamp outside recvWindow (this host's clock)",
		CodeBadSignature:     "signature not valid (wrong secret)",
		CodeBadAPIID:         "invalid API key ID (unknown or revoked)",
		CodeKeyFormat:        "API key format invalid (unknown or revoked)",
		CodeRejectedKey:      "invalid API key, IP or permissions (revoked, or this host's IP is not allowed)",
	}[code]
}

// Credentials are one Binance API key and its secret. Formatting them with
// any verb prints the key masked.
type Credentials struct{ Key, Secret string }

// String masks.
func (c Credentials) String() string { return "binance key " + detector.Mask(c.Key) }

// GoString masks too (%#v).
func (c Credentials) GoString() string { return c.String() }

// Format masks every verb.
func (c Credentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Sign returns the signature parameter as Binance documents it for HMAC
// keys: hex(HMAC-SHA256(secret, totalParams)), totalParams being the query
// string followed by the request body.
func Sign(secret, totalParams string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(totalParams))
	return hex.EncodeToString(mac.Sum(nil))
}

// Restrictions are what apiRestrictions says of a key.
type Restrictions struct {
	IPRestrict                 bool `json:"ipRestrict"`
	EnableReading              bool `json:"enableReading"`
	EnableWithdrawals          bool `json:"enableWithdrawals"`
	EnableInternalTransfer     bool `json:"enableInternalTransfer"`
	PermitsUniversalTransfer   bool `json:"permitsUniversalTransfer"`
	EnableMargin               bool `json:"enableMargin"`
	EnableFutures              bool `json:"enableFutures"`
	EnableVanillaOptions       bool `json:"enableVanillaOptions"`
	EnableSpotAndMarginTrading bool `json:"enableSpotAndMarginTrading"`
}

// Permissions are the enabled permissions as codes: read, spot-margin-trade,
// margin, futures, options, withdraw, internal-transfer, universal-transfer.
func (r Restrictions) Permissions() []string {
	var out []string
	for _, p := range []struct {
		on   bool
		code string
	}{{r.EnableReading, "read"}, {r.EnableSpotAndMarginTrading, "spot-margin-trade"}, {r.EnableMargin, "margin"},
		{r.EnableFutures, "futures"}, {r.EnableVanillaOptions, "options"}, {r.EnableWithdrawals, "withdraw"},
		{r.EnableInternalTransfer, "internal-transfer"}, {r.PermitsUniversalTransfer, "universal-transfer"}} {
		if p.on {
			out = append(out, p.code)
		}
	}
	return out
}

// APIError is an answer of Binance with an error code: the request reached
// Binance and was refused.
type APIError struct {
	HTTPStatus int
	Code       int
}

func (e *APIError) Error() string {
	return apiclient.Refused("Binance", Describe(e.Code), e.HTTPStatus, e.Code)
}

// Client calls Binance.
type Client struct {
	API *apiclient.Client
	// Now is the clock the timestamp is read from (tests move it).
	Now apiclient.Clock
}

// New returns a client of the API at base.
func New(base *url.URL) *Client { return &Client{API: apiclient.New("Binance", base)} }

// ResolveBaseURL is $KEYGATE_BINANCE_BASE_URL, else configured, else the
// default.
func ResolveBaseURL(configured string) (*url.URL, error) {
	return apiclient.ResolveBaseURL(EnvBaseURL, "exchanges.binance.base_url", configured, DefaultBaseURL)
}

// APIRestrictions asks Binance about the key of creds.
func (c *Client) APIRestrictions(ctx context.Context, creds Credentials) (*Restrictions, error) {
	ans, err := c.API.Get(ctx, apiclient.Request{Path: PathAPIRestrictions, Sign: func(h http.Header) string {
		h.Set("X-MBX-APIKEY", creds.Key)
		q := "timestamp=" + strconv.FormatInt(c.Now.Now().UnixMilli(), 10) + "&recvWindow=" + strconv.Itoa(RecvWindow)
		return q + "&signature=" + Sign(creds.Secret, q)
	}})
	if err != nil {
		return nil, err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(ans.Body, &probe); err != nil {
		return nil, &apiclient.BadAnswerError{Provider: "Binance", Why: fmt.Sprintf("HTTP %d without a JSON object", ans.Status)}
	}
	if raw, ok := probe["code"]; ok && ans.Status != http.StatusOK {
		code, err := strconv.Atoi(string(raw))
		if err != nil {
			return nil, &apiclient.BadAnswerError{Provider: "Binance", Why: "code is not a number"}
		}
		return nil, &APIError{HTTPStatus: ans.Status, Code: code}
	}
	if ans.Status != http.StatusOK {
		return nil, &apiclient.BadAnswerError{Provider: "Binance", Why: fmt.Sprintf("HTTP %d without an error code", ans.Status)}
	}
	for _, field := range []string{"ipRestrict", "enableReading", "enableWithdrawals"} {
		if _, ok := probe[field]; !ok {
			return nil, &apiclient.BadAnswerError{Provider: "Binance", Why: field + " is missing"}
		}
	}
	var r Restrictions
	if err := json.Unmarshal(ans.Body, &r); err != nil {
		return nil, &apiclient.BadAnswerError{Provider: "Binance", Why: "the answer does not have the documented shape"}
	}
	return &r, nil
}

// IsAPIError reports err as a Binance refusal.
func IsAPIError(err error) (*APIError, bool) {
	var api *APIError
	ok := errors.As(err, &api)
	return api, ok
}
