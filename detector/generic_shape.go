package detector

import (
	"bytes"
	"math"
	"net/url"
	"strings"

	"github.com/keygate/keygate/detector/placeholder"
	"github.com/keygate/keygate/internal/lazyre"
)

// Shapes the generic gate and the URL-login check read beyond the value's
// characters: how random it looks, a type expression, a public badge
// token, and stand-in logins. Found on real repositories where a peer
// scanner stayed quiet (bench/PRECISION.md).

// minRandomLen is the length from which a generic value must look drawn
// from its alphabet; shorter ones are human-chosen passwords, whose few
// characters are mostly distinct anyway.
const minRandomLen = 16

// randomShare is the least share of the distinct characters a random
// value of that length and alphabet would show on average. Generated
// keys sit near 1 (a 28-character lowercase-and-digit one shows about 20
// of 36); a keyboard mash such as 89h3f98hbwf987h3f98wenf89ehf shows 10.
const randomShare = 0.6

// randomLooking reports whether v, of minRandomLen or more characters, has
// as many distinct characters as a value drawn at random from its
// alphabet would (hex, or the classes it uses) — not a keyboard mash or a
// repeated phrase. Shorter values pass. A short prefix (0x, bg_, sk-) is
// not part of the drawn body.
func randomLooking(v string) bool {
	body := keyPrefix.ReplaceAllString(v, "")
	n := len(body)
	if n < minRandomLen {
		return true
	}
	var seen [256]bool
	distinct := 0
	for i := 0; i < n; i++ {
		if !seen[body[i]] {
			seen[body[i]] = true
			distinct++
		}
	}
	k := alphabet(body)
	expected := k * (1 - math.Pow(1-1/k, float64(n)))
	return float64(distinct) >= randomShare*expected
}

// keyPrefix is a key's type prefix: 0x, or a few letters and a separator.
var keyPrefix = lazyre.New(`^(?:0[xX]|[A-Za-z]{1,8}[_-])`)

// alphabet estimates the size of the alphabet v was drawn from: hex (16,
// or 22 in mixed case as in checksummed addresses), else the sum of its
// classes (26 lowercase, 26 uppercase, 10 digits, and its own symbols).
func alphabet(v string) float64 {
	hex, lo, up, di := true, 0, 0, 0
	symbols := map[byte]bool{}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			di = 10
			continue
		case c >= 'a' && c <= 'z':
			lo = 26
		case c >= 'A' && c <= 'Z':
			up = 26
		default:
			symbols[c] = true
		}
		if !strings.ContainsRune("abcdefABCDEF", rune(c)) {
			hex = false
		}
	}
	switch {
	case hex && lo > 0 && up > 0:
		return 22
	case hex:
		return 16
	}
	return float64(lo + up + di + len(symbols))
}

// typeShape is the outline of a generic type: a name and angle brackets.
var typeShape = lazyre.New(`^[A-Za-z_$][\w$.]*<[\w$.,\s<>\[\]|?]*>?(?:\[\])*$`)

// typeName is a type's name: letters, digits only at its end.
var typeName = lazyre.New(`^[A-Za-z_$]+[0-9]{0,2}$`)

// typeExpr reports a generic type, not a value (Map<string, Array<Req>>,
// WsKeyPending<TEvent>): the outline, and every name in it of letters
// (digits only at its end: Uint8), so that a password holding < stays a
// value.
func typeExpr(v string) bool {
	if strings.IndexByte(v, '<') < 0 || !typeShape.MatchString(v) { // its shape holds a '<'
		return false
	}
	for _, name := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("<>,|[]? \t.", r) }) {
		if !typeName.MatchString(name) {
			return false
		}
	}
	return true
}

// urlStops are the bytes imageURL's match cannot hold: \s (RE2's: tab,
// newline, form feed, carriage return, space), quotes, parentheses and
// angle brackets.
const urlStops = "\t\n\f\r \"'()<>"

// imageURL is a URL whose path names an image, up to its query.
var imageURL = lazyre.New(`(?i)https?://[^\s"'()<>?]+\.(?:svg|png|gif)\?[^\s"'()<>]*$`)

// badgeToken reports a value that is the query parameter of an image URL
// (a coverage or build badge, ...graph/badge.svg?token=…): such tokens
// are published by design to embed the image, and grant nothing else.
//
// imageURL's match holds no blank, quote, parenthesis or angle bracket,
// so it is read from the last one (a value on a one-line JSON file of
// megabytes read its line from the start).
func badgeToken(prefix []byte) bool {
	return imageURL.Match(prefix[bytes.LastIndexAny(prefix, urlStops)+1:])
}

// placeholderUsers are user names that mark a URL login as an example:
// metasyntactic and textbook names.
var placeholderUsers = map[string]bool{
	"foo": true, "bar": true, "baz": true, "qux": true, "user": true, "username": true,
	"test": true, "tester": true, "demo": true, "example": true, "alice": true, "bob": true,
	"john": true, "jane": true, "someone": true, "me": true, "name": true,
}

// loopbackHost is a URL host part on this machine.
var loopbackHost = lazyre.New(`(?i)^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?:[:/?#]|$)`)

// standInLogin reports a URL login that is a stand-in by its shape: a
// password of a plain lowercase word (bar, hunter) for a placeholder user
// or a loopback host (foo:bar@localhost), or one that, percent-decoded,
// holds no letter or digit (an escaping test: %20%21%22…).
func standInLogin(user, password, host string) bool {
	dec, err := url.PathUnescape(password)
	if err != nil {
		dec = password
	}
	if strings.IndexFunc(dec, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 0x7f
	}) < 0 {
		return true
	}
	word := len(password) <= 10 && strings.Trim(password, "abcdefghijklmnopqrstuvwxyz") == "" || placeholder.Words(password)
	return word && (placeholderUsers[strings.ToLower(user)] || loopbackHost.MatchString(host))
}

// formatField reports a name inside a format string's replacement field,
// where what follows the colon is a format spec: f"{token:<8} {n:>14.6f}".
func formatField(prefix []byte, name, v string) bool {
	i := bytes.LastIndex(prefix, []byte(name))
	return i > 0 && prefix[i-1] == '{' && strings.Contains(v, "}")
}

// annotationType is an unquoted type in an annotation: `name: Type = …`,
// `auth: XRPLAuth,`.
var annotationType = lazyre.New(`^[A-Za-z_][\w.]*(?:\[[\w., ]*\])?$`)

// typeWithSecretWord is a type named for a credential: XRPLAuth,
// GrvtPerpetualAuth, SecretStr.
var typeWithSecretWord = lazyre.New(`^[A-Z][A-Za-z0-9]*(?:Auth|Key|Token|Secret|Credentials?|Password|Passphrase|Str)$`)

// annotation reports an unquoted value that is a type annotation rather
// than a value: followed by an assignment (`bitget_passphrase: SecretStr =
// Field(`), or a type named for a credential in a parameter list.
func annotation(v string, after []byte) bool {
	if !annotationType.MatchString(v) {
		return false
	}
	rest := bytes.TrimLeft(after, " \t")
	if len(rest) > 0 && rest[0] == '=' && (len(rest) == 1 || rest[1] != '=') {
		return true
	}
	return typeWithSecretWord.MatchString(v) && (len(rest) == 0 || rest[0] == ',' || rest[0] == ')')
}

// variable reports an unquoted value that is a variable named for a
// credential: `self.api_key = grvt_perpetual_api_key`. A literal of that
// shape would be a placeholder anyway.
func variable(v string, after []byte) bool {
	if !placeholderIdent.MatchString(v) || !secretName(v) {
		return false
	}
	// A camel-cased name (`ed25519APIKey`) is a variable where an argument
	// or a property's value ends: `api_key: ed25519APIKey,` in an SDK's
	// example. secretName wants its word at a case change, which random key
	// material almost never has.
	return strings.Contains(v, "_") || len(after) > 0 && strings.IndexByte(",);", after[0]) >= 0
}

// placeholderIdent is an identifier in code: letters, digits, underscores.
var placeholderIdent = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// intervalPart is a count with a unit: 1m, 15m, 4h, 1d.
var intervalPart = lazyre.New(`^[0-9]{1,3}[a-z]{1,2}$`)

// smallNumber is a part that is a short count or index (5, 32, 128), as in
// DOC_Vector_5_32.
func smallNumber(p string) bool {
	if len(p) == 0 || len(p) > 3 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// symbolic reports a value made of symbols and names joined by
// separators, not key material: HBOT-COINALPHA, binance_BTC-USDT_1m,
// __vite_ssr_exportAll__. Each part is letters cased as words are (all
// lower, all upper, Capitalised, or camelCase with few humps) or a count
// with a unit; random text of that length breaks the casing in some part.
func symbolic(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("-_/.:", r) })
	if len(parts) < 2 {
		return false
	}
	numbers := 0
	for _, p := range parts {
		if smallNumber(p) {
			numbers++
			continue
		}
		if intervalPart.MatchString(p) {
			continue
		}
		if !wordCased(p) {
			return false
		}
	}
	return numbers < len(parts) // numbers alone (12-345-678) are no symbol
}

// wordCased: letters only, cased as words are: all upper (USDT), or
// lowercase with at most one capital per four letters (exportAll,
// Binance).
func wordCased(p string) bool {
	up := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'A' && c <= 'Z':
			up++
		case c >= 'a' && c <= 'z':
		default:
			return false
		}
	}
	return up == len(p) || up*4 <= len(p) && (up <= 1 || len(p) >= 6)
}

// evmAddress is an Ethereum-style account address: 0x and 20 bytes in hex
// (a private key is 32). It is public by nature, even where an API takes it
// as the account's "key".
var evmAddress = lazyre.New(`^0[xX][0-9a-fA-F]{40}$`)

// indexVariable reports a name that is an unquoted index, not a field:
// `this.connections[key] = wsConnection` assigns to an element that a
// variable named key selects, and what it assigns is code.
func indexVariable(prefix []byte, name string) bool {
	i := bytes.LastIndex(prefix, []byte(name))
	j := i + len(name)
	return i > 0 && prefix[i-1] == '[' && j < len(prefix) && prefix[j] == ']'
}
