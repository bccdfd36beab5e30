package detector

import (
	"bytes"
	"strings"

	"github.com/keygate/keygate/detector/placeholder"
	"github.com/keygate/keygate/internal/lazyre"
)

// The generic gate (rules.GateGeneric). A rule keyed on a variable's name
// alone sees every `key = …` in ordinary code, so its matches count only
// when the name's last word is a secret word and the value looks like key
// material: not a code expression, a reference or template, a path or URL,
// an identifier, words, or a placeholder. It reads the match's own line
// only, so a version scan may carry its result over with the line.

// secretWords are the last words that make a name secret-bearing, longest
// first so that a name is matched by its longest one (apikey before key).
var secretWords = []string{"credentials", "credential", "passphrase", "password", "passwd", "apikey", "secret", "token", "auth", "pass", "pwd", "key"}

// notSecretBefore are words that, before the last word, name something
// that is not a credential (public_key, primary_key, next_token).
var notSecretBefore = map[string]bool{
	"public": true, "pub": true, "primary": true, "foreign": true, "sort": true, "partition": true,
	"cache": true, "hash": true, "row": true, "range": true, "idempotency": true, "lookup": true,
	"map": true, "dict": true, "i18n": true, "translation": true, "label": true, "shortcut": true,
	"hot": true, "composite": true, "unique": true, "object": true, "next": true, "page": true,
	"pagination": true, "continuation": true, "cursor": true, "csrf": true, "xsrf": true, "sync": true,
	"max": true, "min": true, "num": true, "count": true,
}

// publicKeyOf are words before "key" that name a key published by design
// (a Pusher app key, a Stripe publishable key, a reCAPTCHA site key); their
// secrets (PUSHER_SECRET) stay secret-named.
var publicKeyOf = map[string]bool{"pusher": true, "publishable": true, "site": true}

// minGenericLen is the shortest value the generic gate accepts.
const minGenericLen = 8

var (
	memberPrefix = lazyre.New(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+`)
	fileExt      = lazyre.New(`(?i)\.(?:pem|key|crt|cer|csr|p12|pfx|jks|keystore|pub|der|gpg|asc|ppk|json|ya?ml|toml|ini|conf|cfg|env|txt|xml|properties|sh|py|js|ts|go|rb|php|java|kt|rs|c|h|html?|md|log|db|sqlite3?)$`)
	drivePath    = lazyre.New(`^[A-Za-z]:[\\/]`)
)

// genericValue reports whether buf[start:end], matched by a generic rule,
// is a credential by its name and value.
func genericValue(x *textLines, start, end int) bool {
	buf := x.buf
	if !credentialLike(buf[start:end]) {
		return false
	}
	ls := x.lineStart(start)
	name, quoted := nameBefore(buf[ls:start])
	if !secretName(name) || !quoted && indexVariable(buf[ls:start], name) {
		return false
	}
	return credentialValue(x, start, end, name, quoted)
}

// judgedValue reports whether buf[start:end], matched by a rule with the
// value gate (rules.GateValue), looks like key material: the generic
// gate's judgement of the value, for rules whose context names it a
// credential already (a --api-secret flag, mysql's -p).
func judgedValue(x *textLines, start, end int) bool {
	if !credentialLike(x.buf[start:end]) {
		return false
	}
	ls := x.lineStart(start)
	name, quoted := nameBefore(x.buf[ls:start])
	return credentialValue(x, start, end, name, quoted)
}

// credentialValue is the generic gate's judgement of a value assigned to
// name: not code, a reference, a path or URL, words, an identifier or a
// stand-in, and random-looking.
func credentialValue(x *textLines, start, end int, name string, quoted bool) bool {
	buf := x.buf
	v := string(buf[start:end])
	if strings.IndexByte(v, '<') >= 0 && markup.MatchString(v) {
		// Markup is judged by its text: `<b>Auth</b><br />-` in a diagram
		// is a word, `<b>Tide5…</b>` in a rendered runbook a password.
		v = tagText(v)
	}
	ls, le := x.bounds(start, end)
	// Every test drops the value: the cheap ones that drop most values
	// come first (an identifier, `api_secret`, is most of what the line
	// filters judge in code; code's tests run regular expressions).
	if len(v) < minGenericLen || reference(v) || placeholder.Identifier(v) || code(v, buf[end:le], quoted) || pathOrURL(v) {
		return false
	}
	if placeholder.Words(v) || placeholder.Label(v) || !ascii(v) || !randomLooking(v) {
		return false
	}
	if badgeToken(buf[ls:start]) || formatField(buf[ls:start], name, v) || symbolic(v) || evmAddress.MatchString(v) {
		return false
	}
	return classes(v) >= 2 || len(v) >= 20 && strings.Trim(v, "0123456789") != ""
}

// codeValue reports whether buf[start:end], matched by a rule with the
// code gate, is code or a reference rather than a literal:
// `Passphrase: vals[2]`, `passphrase = cfg.get(`, `password=${PASS}`.
func codeValue(x *textLines, start, end int) bool {
	buf := x.buf
	v := string(buf[start:end])
	ls, le := x.bounds(start, end)
	_, quoted := nameBefore(buf[ls:start])
	return reference(v) || code(v, buf[end:le], quoted) || keyedIdentifier(buf[ls:start], v, quoted)
}

// keyedIdentifier reports an unquoted identifier as the value of a quoted
// key: in `{"ACCESS-SIGN": signature}` or `headers["X-MBX-APIKEY"] =
// api_key` the key is a string literal and the value a variable. A raw
// header in a log (`ACCESS-SIGN: b2xk…`) has no quoted key.
func keyedIdentifier(prefix []byte, v string, quoted bool) bool {
	if quoted || !placeholderIdent.MatchString(v) {
		return false
	}
	p := bytes.TrimRight(prefix, " \t")
	p = bytes.TrimRight(p, ":=")
	p = bytes.TrimRight(p, " \t]")
	return len(p) > 0 && (p[len(p)-1] == '"' || p[len(p)-1] == '\'')
}

// nameBefore finds the name assigned to in the text before a value:
// `name = "`, `"name": `, `name: `, `name => '`, `name := `, `['name'] = `,
// `key="name" value="`, and the syntax forms every keyword rule's
// separator takes (rules/default.yaml): Makefile `name ?= `, `::=`,
// `:::=`, PHP `name .= `, Go `var name string = `, a setter call's
// `setProperty("name", `. quoted reports whether the value opens with a
// quote.
func nameBefore(prefix []byte) (name string, quoted bool) {
	i := len(prefix)
	if i > 0 && strings.IndexByte("\"'`", prefix[i-1]) >= 0 {
		quoted = true
		i--
	} else if bytes.HasSuffix(prefix[:i], []byte("&quot;")) {
		quoted = true
		i -= len("&quot;")
	}
	skip := func(set string) {
		for i > 0 && strings.IndexByte(set, prefix[i-1]) >= 0 {
			i--
		}
	}
	skip(" \t")
	skip(":=>?.,") // =, :=, ::=, ?=, .=, =>, and a setter call's `"NAME", `
	skip(" \t")
	if j := i - len("string"); j > 0 && string(prefix[j:i]) == "string" && (prefix[j-1] == ' ' || prefix[j-1] == '\t') {
		i = j // Go: var apiSecret string = "…"
		skip(" \t")
	}
	skip("\"'`]")
	end := i
	for i > 0 && (isNameByte(prefix[i-1])) {
		i--
	}
	name = string(prefix[i:end])
	if strings.EqualFold(name, "value") {
		if m := keyAttrBefore(prefix[:i]); m != nil {
			name = string(m[1]) + string(m[2]) // one quote style matched
		}
	}
	return name, quoted
}

// keyAttr is the key attribute before a value attribute: in .NET's
// `<add key="ApiSecret" value="…"/>` (appSettings, web.config), the value
// is named by the key attribute's value, not by "value".
var keyAttr = lazyre.New(`(?i)\bkey[ \t]*=[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)')[ \t]+$`)

// keyAttrBefore is keyAttr's match in p, read from where it can start:
// its closing quote is p's last non-blank byte, its opening quote the
// same quote before that (the value holds none), and before that only
// `key =`. The regexp then runs from one byte before "key" (for its \b),
// not over the whole line: on a one-line JSON file of megabytes, every
// "value" member read its line from the start.
func keyAttrBefore(p []byte) [][]byte {
	j := len(p)
	for j > 0 && (p[j-1] == ' ' || p[j-1] == '\t') {
		j--
	}
	if j == len(p) || j == 0 || p[j-1] != '"' && p[j-1] != '\'' {
		return nil
	}
	k := bytes.LastIndexByte(p[:j-1], p[j-1])
	for k > 0 && (p[k-1] == ' ' || p[k-1] == '\t') {
		k--
	}
	if k <= 0 || p[k-1] != '=' {
		return nil
	}
	k--
	for k > 0 && (p[k-1] == ' ' || p[k-1] == '\t') {
		k--
	}
	if k < len("key") {
		return nil
	}
	return keyAttr.FindSubmatch(p[max(0, k-len("key")-1):])
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '$'
}

// secretName reports whether name's last word (snake, kebab, camel or upper
// case) is a secret word, and the word before it does not make it a
// public or structural name.
func secretName(name string) bool {
	lower := strings.ToLower(name)
	for _, w := range secretWords {
		if !strings.HasSuffix(lower, w) {
			continue
		}
		pre := name[:len(name)-len(w)]
		if pre != "" {
			last, first := pre[len(pre)-1], name[len(pre)]
			// (':' only comes from a .NET key attribute: Bitget:Passphrase)
			sep := last == '_' || last == '-' || last == '.' || last == '$' || last == ':'
			camel := (last >= 'a' && last <= 'z' || last >= '0' && last <= '9') && first >= 'A' && first <= 'Z'
			// A name that is an acronym and a capitalised word: ETSYToken,
			// APIKey (not protectNTFSKey, a camel name holding one).
			acronym := first >= 'A' && first <= 'Z' && len(name) > len(pre)+1 &&
				name[len(pre)+1] >= 'a' && name[len(pre)+1] <= 'z' && upperWord(pre)
			if !sep && !camel && !acronym {
				return false
			}
		}
		before := lastWord(strings.TrimRight(pre, "_-.$:"))
		return !notSecretBefore[before] && !(w == "key" && publicKeyOf[before])
	}
	return false
}

// upperWord reports whether s ends in a word of capitals and digits that
// starts s or follows a separator (ETSY, MY_API), none lower case.
func upperWord(s string) bool {
	i := len(s)
	for i > 0 && (s[i-1] >= 'A' && s[i-1] <= 'Z' || s[i-1] >= '0' && s[i-1] <= '9') {
		i--
	}
	if i == len(s) || s[i] < 'A' || s[i] > 'Z' {
		return false
	}
	return i == 0 || strings.IndexByte("_-.$:", s[i-1]) >= 0
}

// lastWord is the last snake, kebab, dotted or camel word of s, lowercase.
func lastWord(s string) string {
	i := len(s)
	for i > 0 {
		c := s[i-1]
		if c == '_' || c == '-' || c == '.' || c == '$' || c == ':' {
			break
		}
		if c >= 'A' && c <= 'Z' && (i < 2 || s[i-2] < 'A' || s[i-2] > 'Z') {
			i--
			break
		}
		i--
	}
	return strings.ToLower(s[i:])
}

// markup is an HTML or XML element in a value: a closing tag or a tag with
// an attribute. Rendered API docs and diagrams put them after names
// (`apiKey: <span class="tsd-signature-type">string</span>`, `_auth:
// <b>Auth</b>`); no issuer hands out a credential holding one.
var markup = lazyre.New(`</[A-Za-z][A-Za-z0-9:-]*>|<[A-Za-z][A-Za-z0-9:-]*\s+[A-Za-z:-]+=`)

// tagText is v without its tags: the text a reader of the page sees.
func tagText(v string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(v[:i])
		v = v[i+j+1:]
	}
	b.WriteString(v)
	return b.String()
}

// reference reports a variable, environment or secret-store reference, or
// a template: ${X}, $X, {{ x }}, #{x}, %(x)s, <%= x %>, *anchor, !vault.
func reference(v string) bool {
	if strings.IndexByte("$%@&*!~", v[0]) >= 0 {
		return true
	}
	for _, s := range []string{"${", "{{", "$(", "#{", "%(", "<%", "[[", "process.env", "os.environ", "getenv", "ENV[", "env("} {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// code reports an expression rather than a literal: a call or index
// (value followed by `(` or `[` when unquoted), member access, or
// operators (&&, ||, ==, ->, ::, ?.).
func code(v string, after []byte, quoted bool) bool {
	if !quoted && len(after) > 0 && (after[0] == '(' || after[0] == '[') {
		return true
	}
	if memberAccess(v) || typeExpr(v) {
		return true
	}
	if !quoted && (annotation(v, after) || variable(v, after)) {
		return true
	}
	// Member access followed by an operator (t.token+n.postfix,
	// t.accessorFn?t.id:null), a ternary (e?e.ctrlKey:!1).
	if m := memberPrefix.FindStringIndex(v); m != nil && m[1] < len(v) && strings.IndexByte("?:;,()[]&|=!+-*/<>%", v[m[1]]) >= 0 {
		return true
	}
	if q := strings.IndexByte(v, '?'); q > 0 && strings.IndexByte(v[q:], ':') > 0 {
		return true
	}
	// A closing quote read as an opening one: `"prefix:"+id`.
	if len(v) > 1 && strings.IndexByte("+|&?.", v[0]) >= 0 {
		return true
	}
	body := strings.TrimRight(v, "=") // base64 padding is no operator
	for _, op := range []string{"&&", "||", "==", "!=", "->", "::", "?.", "??", "=>", "+=", "?:"} {
		if strings.Contains(body, op) {
			return true
		}
	}
	return false
}

// pathOrURL reports a file path or a URL (a URL with a password in it is
// the URL rules' to find).
func pathOrURL(v string) bool {
	switch {
	case strings.HasPrefix(v, "/"), strings.HasPrefix(v, "./"), strings.HasPrefix(v, "../"),
		strings.HasPrefix(v, "~"), strings.HasPrefix(v, `\\`), drivePath.MatchString(v),
		strings.Contains(v, "://"), fileExt.MatchString(v):
		return true
	}
	if !strings.Contains(v, "/") {
		return false
	}
	// secrets/prod/db, not Zq9SynthEtic/0123…: every part is a lowercase
	// name or words.
	for _, part := range strings.Split(v, "/") {
		if part == "" {
			continue
		}
		if strings.ToLower(part) != part && !placeholder.Words(part) {
			return false
		}
		if !placeholder.Words(part) && !placeholder.Identifier(strings.NewReplacer("-", "_", ".", "_").Replace(part)) {
			return false
		}
	}
	return true
}

// ascii: generic values are ASCII; text in other scripts is prose or
// test data, and its bytes would pass any entropy gate.
func ascii(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			return false
		}
	}
	return true
}

// classes counts the character classes in v: lowercase, uppercase,
// digits, others.
func classes(v string) int {
	var lo, up, di, ot int
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'a' && c <= 'z':
			lo = 1
		case c >= 'A' && c <= 'Z':
			up = 1
		case c >= '0' && c <= '9':
			di = 1
		default:
			ot = 1
		}
	}
	return lo + up + di + ot
}

// exampleHost is a host reserved for documentation (RFC 2606).
var exampleHost = lazyre.New(`(?i)^(?:[a-z0-9-]+\.)*example\.(?:com|org|net)(?:[:/?#]|$)`)

// placeholderLogin reports a URL password that is a stand-in by its
// context: the same as its user name (admin:admin@, guest:guest@), for a
// host reserved for documentation (user:s3cr3t@example.com), or of a
// stand-in shape (standInLogin: foo:bar@localhost, %20%21%22…).
func placeholderLogin(x *textLines, start, end int) bool {
	buf := x.buf
	if end >= len(buf) || buf[end] != '@' || start == 0 || buf[start-1] != ':' {
		return false
	}
	u := start - 1
	for u > 0 && !strings.ContainsRune(" \t\r\n/\"'=<>", rune(buf[u-1])) {
		u--
	}
	if string(buf[u:start-1]) == string(buf[start:end]) {
		return true
	}
	le := x.lineEnd(end)
	return exampleHost.Match(buf[end+1:le]) || standInLogin(string(buf[u:start-1]), string(buf[start:end]), string(buf[end+1:le]))
}

// queryEnd is where a generic value buf[start:end] ends inside a query
// string: the value class takes `&` (a password may hold one), so
// `apiKey=<key>&price=1&type=LIMIT` would read as one value ending in
// LIMIT. A `&` (or HTML's `&amp;`) followed by a parameter name and `=`
// or `[` (`filter[name]=`, where the class itself stops) starts the next
// parameter; the value stops before it.
func queryEnd(buf []byte, start, end int) int {
	for i := start; i < end; i++ {
		if buf[i] != '&' {
			continue
		}
		j := i + 1
		if bytes.HasPrefix(buf[j:], []byte("amp;")) {
			if j+len("amp") == end {
				return i
			}
			j += len("amp;")
		}
		k := j
		for k < len(buf) && isNameByte(buf[k]) {
			k++
		}
		if k > j && k < len(buf) && (buf[k] == '=' || buf[k] == '[') && isNameStart(buf[j]) {
			return i
		}
	}
	return end
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// genericValueGroup is the value the generic rules capture, as their
// patterns spell it last: markup, a ${…} or {{…}} reference, or bytes of
// the value class, the first not a '*'.
const genericValueGroup = `((?:<[^>\r\n]*>|\$\{[^}\r\n]*\}|\{\{[^}\r\n]*\}\}|[^\s"'\x60,;<>{}()\[\]\\*])(?:<[^>\r\n]*>|\$\{[^}\r\n]*\}|\{\{[^}\r\n]*\}\}|[^\s"'\x60,;<>{}()\[\]\\])*)`

// valueOK reports whether a rule's gate passes line[q:p] as the secret
// of a match on line, the whole line the match is on.
type valueOK func(line []byte, q, p int) bool

// The gates a line filter applies: each reads the match's line alone, so
// judged on the window's line it answers as it does after RE2 runs. Most
// of what the generic, header and group rules match in code and configs
// fails them (`self._api_secret = api_secret`, `${API_KEY}`, `{{
// .Values.bot.apiKey }}`, `"ACCESS-SIGN": sign(self.secret_key, msg)`):
// on the generated ops tree, some 80,000 RE2 matches of these rules a scan,
// nearly all of them dropped by their gates.
var (
	// genericOK is the generic gate, on the secret matchWindows cuts
	// at a query string's next parameter.
	genericOK valueOK = func(line []byte, q, p int) bool {
		return genericValue(newTextLines(line), q, queryEnd(line, q, p))
	}
	judgedOK valueOK = func(line []byte, q, p int) bool { return judgedValue(newTextLines(line), q, p) }
	// codeOK is the code gate, and the part of the group gate that reads
	// the match's own line (groupValue drops what codeValue says is code).
	codeOK valueOK = func(line []byte, q, p int) bool { return !codeValue(newTextLines(line), q, p) }
)

// credentialLike is what credentialValue asks first, which the generic
// and value gates ask before they read the name: most values they judge
// (a line filter judges every value a pattern could capture) are short, a
// member access, an identifier, or open as a reference or an operator does
// (`str`, `self.api_key`, `api_secret`, `${API_KEY}`, `{{ .Values.key }}`,
// `?token`): reference, code and Identifier drop those. credentialValue
// reads markup as its text, which only shortens a value and keeps its
// first bytes (markup opens with '<', none of these does), and a member
// access or an identifier holds no '<'.
func credentialLike(v []byte) bool {
	if len(v) < minGenericLen || memberAccess(v) || bytes.HasPrefix(v, []byte("{{")) {
		return false
	}
	return bytes.IndexByte([]byte("$%@&!~+|?."), v[0]) < 0 && !placeholder.Identifier(string(v))
}

// valueEnd reads genericValueGroup at line[q:]: where the value it
// captures there ends (q: none). It reads as RE2 does (Latin-1: a byte
// past ASCII is in the class, as the negated class holds it): a group
// alternative where one opens, else a byte of the class, the first not a
// '*'.
func valueEnd(line []byte, q int) int {
	p := q
	for p < len(line) {
		c := line[p]
		if j := groupEnd(line, p); j > p {
			p = j
			continue
		}
		if valueClass[c] && (p > q || c != '*') {
			p++
			continue
		}
		break
	}
	return p
}

// groupEnd is where a markup, ${…} or {{…}} group opening at line[p]
// ends, or p when none does: the pattern's first three alternatives, which
// it prefers to a byte of the class.
func groupEnd(line []byte, p int) int {
	closeAt := func(from int, close string) int {
		for k := from; k < len(line); k++ {
			switch {
			case line[k] == '\r' || line[k] == '\n':
				return p
			case line[k] == close[0]:
				if len(close) == 2 && (k+1 >= len(line) || line[k+1] != close[1]) {
					return p // [^}]* then }}: the first } must be followed by }
				}
				return k + len(close)
			}
		}
		return p
	}
	switch {
	case line[p] == '<':
		return closeAt(p+1, ">")
	case line[p] == '$' && p+1 < len(line) && line[p+1] == '{':
		return closeAt(p+2, "}")
	case line[p] == '{' && p+1 < len(line) && line[p+1] == '{':
		return closeAt(p+2, "}}")
	}
	return p
}

// valueClass is [^\s"'\x60,;<>{}()\[\]\\] as RE2 reads it: \s is
// [\t\n\f\r ]. A byte past ASCII is taken as in the class: a value is
// then read longer, never shorter, than the pattern reads it.
var valueClass = func() (c [256]bool) {
	for b := range 256 {
		c[b] = !strings.ContainsRune("\t\n\f\r \"'`,;<>{}()[]\\", rune(b)) || b >= 0x80
	}
	return c
}()

// memberAccess reports identifiers joined by dots, two or more
// (`self.api_key`, `os.environ`, `$scope.token`): code, not a value. The
// generic gate asks it, in code and in credentialLike.
func memberAccess[T string | []byte](v T) bool {
	parts, start := 0, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] != '.' {
			if c := v[i]; !identStart(c) && (i == start || c < '0' || c > '9') {
				return false
			}
			continue
		}
		if i == start {
			return false // an empty part
		}
		parts, start = parts+1, i+1
	}
	return parts >= 2
}

func identStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
