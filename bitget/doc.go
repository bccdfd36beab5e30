// Package bitget is a minimal client of Bitget's REST API v2 for what
// keygate needs: the server's time and a key's account information.
//
// Invariants: a credential value is only ever used to sign a request and
// to fill its ACCESS-* headers; it never appears in an error, a log line or
// a formatted Credentials (which prints masked). The package logs nothing.
// Every answer is read up to MaxBody bytes; a redirect to another host or
// scheme is refused (Go's client would forward the ACCESS-* headers); only
// network errors, HTTP 429 and 5xx are retried, with back-off.
package bitget
