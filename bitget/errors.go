package bitget

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/keygate/keygate/internal/apiclient"
)

// Bitget's documented error codes that keygate tells apart (the common
// error-code list of API v2).
const (
	CodeOK                = "00000"
	CodeInvalidTimestamp  = "40005" // ACCESS-TIMESTAMP is not a timestamp
	CodeInvalidKey        = "40006" // Invalid ACCESS_KEY: unknown or deleted
	CodeTimestampExpired  = "40008" // more than 30 s from the server's clock
	CodeSignError         = "40009" // the signature does not verify: wrong secret
	CodePassphraseError   = "40012" // apikey/passphrase is incorrect
	CodeFrozen            = "40013" // user has been frozen
	CodeIncorrectPerms    = "40014" // the key lacks the permission
	CodeIPNotAllowed      = "40018" // the caller's IP is not in the key's allowlist
	CodeKeyDoesNotExist   = "40037" // apikey does not exist
	maxShownCodeLen       = 12
	maxShownMessageLength = 120
)

var codeDescriptions = map[string]string{
	CodeInvalidTimestamp: "invalid timestamp",
	CodeInvalidKey:       "invalid API key (unknown or revoked)",
	CodeTimestampExpired: "timestamp expired (this host's clock is more than 30s off)",
	CodeSignError:        "signature error (wrong secret)",
	CodePassphraseError:  "wrong passphrase",
	CodeFrozen:           "account frozen",
	CodeIncorrectPerms:   "the key lacks the permission for this request",
	CodeIPNotAllowed:     "this host's IP is not in the key's allowlist",
	CodeKeyDoesNotExist:  "API key does not exist (unknown or revoked)",
}

var codeRE = regexp.MustCompile(`^[0-9A-Za-z]{1,12}$`)

// Describe returns keygate's words for a Bitget error code, "" when it is
// not one keygate knows.
func Describe(code string) string { return codeDescriptions[code] }

// safeCode returns code when it looks like a code, else "?": an answer's
// fields are untrusted text and must not carry anything else to output.
func safeCode(code string) string {
	if codeRE.MatchString(code) {
		return code
	}
	return "?"
}

// APIError is an answer of Bitget with a code other than "00000": the
// request reached Bitget and was refused.
type APIError struct {
	HTTPStatus int
	// Code is Bitget's code, reduced to letters and digits ("?" otherwise).
	Code string
	// Msg is Bitget's message as sent: untrusted text that may echo what
	// the request carried. Error never includes it; a caller that shows it
	// must redact it first.
	Msg string
}

func (e *APIError) Error() string {
	return apiclient.Refused("Bitget", Describe(e.Code), e.HTTPStatus, e.Code)
}

// UnreachableError is a request that got no usable answer after every
// attempt: a network error, a timeout, or HTTP 429 or 5xx each time.
type UnreachableError struct {
	Host     string
	Attempts int
	Err      error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Bitget at %s could not be reached (%d attempts): %v", e.Host, e.Attempts, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// StatusError is an HTTP status that is neither success nor a Bitget
// error answer (429 and 5xx, once retries are spent).
type StatusError struct{ Status int }

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d", e.Status) }

// BadAnswerError is an answer keygate will not trust: larger than
// MaxBody, not JSON, or without the fields the API documents.
type BadAnswerError struct{ Why string }

func (e *BadAnswerError) Error() string { return "Bitget's answer is unusable: " + e.Why }

// ErrRedirect is returned (wrapped) when Bitget's answer redirects to
// another host or scheme: the ACCESS-* headers would follow it. It is
// apiclient's.
var ErrRedirect = apiclient.ErrRedirect

// fromAPIClient gives the shared HTTP layer's errors this package's types,
// which callers match with errors.As; anything else (a redirect, the
// context's end) is returned as it is.
func fromAPIClient(err error) error {
	var un *apiclient.UnreachableError
	if errors.As(err, &un) {
		return &UnreachableError{Host: un.Host, Attempts: un.Attempts, Err: fromAPIClient(un.Err)}
	}
	var st *apiclient.StatusError
	if errors.As(err, &st) {
		return &StatusError{Status: st.Status}
	}
	var bad *apiclient.BadAnswerError
	if errors.As(err, &bad) {
		return &BadAnswerError{Why: bad.Why}
	}
	return err
}
