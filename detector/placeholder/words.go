package placeholder

import (
	_ "embed" // the word list
	"strings"
	"sync"
)

// words.txt is SCOWL's american-english-small list (lowercase words of 3
// to 14 letters, byte-sorted; its notice is the file's first lines). It is
// searched in place, so the first lookup costs nothing to set up (a
// commit hook's scan takes a few tens of milliseconds).
//
//go:embed words.txt
var wordsTxt string

// wordList is wordsTxt without its notice: one word a line.
var wordList = wordsTxt[noticeEnd(wordsTxt):]

func noticeEnd(s string) int {
	at := 0
	for strings.HasPrefix(s[at:], "#") {
		at += strings.IndexByte(s[at:], '\n') + 1
	}
	return at
}

// inList binary-searches the sorted word list.
func inList(w string) bool {
	lo, hi := 0, len(wordList)
	for lo < hi {
		mid := lo + (hi-lo)/2
		s := strings.LastIndexByte(wordList[:mid], '\n') + 1
		e := s + strings.IndexByte(wordList[s:], '\n')
		switch line := wordList[s:e]; {
		case line == w:
			return true
		case line < w:
			lo = e + 1
		default:
			hi = s
		}
	}
	return false
}

// extraWords are what code, configs and docs spell that the general list
// lacks: technical words, exchange names, and the words of common example
// passwords. Short words (under 3 letters) are only these.
var extraWords = strings.Fields(`
a i my me we to in on of is it at by up no go do an or as be so us id db ok
pw io ui os ip v1 v2 x y z
api apis auth oauth oauth2 admin config conf cfg localhost dev devel prod staging qa
env envs bearer passphrase passwd pwd pass jwt http https url uri www sql redis
postgres postgresql mysql mongo mongodb sqlite user username usr login signin
signup logout app apps acct uuid guid org repo git github gitlab bitbucket ssh
ssl tls rsa dsa ecdsa ed25519 pem cert certs pubkey privkey hmac sha md5 otp
totp mfa sso saml ldap smtp imap webhook webhooks callback csrf xsrf cors dns
tcp udp json yaml yml toml xml html css js ts py cli sdk dsn todo tbd wip
qwerty asdf asdfgh asdfghjkl zxcvbn letmein hunter iloveyou abc xyz foo bar baz qux
foobar lorem ipsum dolor amet sit bitget binance okx bybit kraken coinbase
kucoin ccxt gateio huobi htx mexc bitfinex deribit bitstamp gemini bot bots
usdt usdc btc eth sol perp perps futures spot testnet mainnet sandbox demo
aws gcp azure gcloud docker kube kubernetes helm k8s vault sops ansible
terraform jenkins travis circleci npm pypi init str int bool num obj arr
val var func fn cb ctx req res resp err msg cmd arg args param params opts
tmp temp src dst dir dirs lib libs pkg util utils impl mgr svc srv async sync
stripe slack discord telegram twilio sendgrid mailgun firebase supabase
openai anthropic hugging huggingface github dockerhub sentry grafana datadog
changeit changeme welcome welcome1 default secret secrets secure securely
`)

var extra = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, len(extraWords))
	for _, w := range extraWords {
		m[w] = true
	}
	return m
})

// word reports whether w (lowercase) is a dictionary word.
func word(w string) bool {
	return extra()[w] || len(w) >= 3 && inList(w)
}

// segment reports whether tok (lowercase letters) is one or more
// dictionary words run together (somethingrandom, apikey).
func segment(tok string) bool {
	if len(tok) > 64 {
		return false
	}
	ok := make([]bool, len(tok)+1)
	ok[0] = true
	for i := 1; i <= len(tok); i++ {
		for j := max(0, i-14); j < i && !ok[i]; j++ {
			ok[i] = ok[j] && word(tok[j:i])
		}
	}
	return ok[len(tok)]
}

// tokens splits v into runs of letters at non-letters and at case changes
// (someSecretKey, HTTPServer, my-bearer-token).
func tokens(v string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, v[start:end])
		}
		start = -1
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case !isLetter(c):
			flush(i)
		case start < 0:
			start = i
		case isUpper(c) && isLower(v[i-1]):
			flush(i)
			start = i
		case isLower(c) && i >= 2 && isUpper(v[i-1]) && isUpper(v[i-2]) && i-1 > start:
			flush(i - 1)
			start = i - 1
		}
	}
	flush(len(v))
	return out
}

// leet undoes the common digit and symbol substitutions (P@ssw0rd, s3cr3t).
var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s")

// Words reports whether v is made of dictionary words: camel-, snake- or
// kebab-cased words, or words run together, with at most a few digits or
// symbols (SuperSecret1!, someSecretKey, somethingrandom, my-bearer-token),
// also after undoing leetspeak (P@ssw0rd, s3cr3t).
func Words(v string) bool {
	return wordsOnly(v) || wordsOnly(leet.Replace(v))
}

func wordsOnly(v string) bool {
	letters := 0
	for i := 0; i < len(v); i++ {
		if isLetter(v[i]) {
			letters++
		}
	}
	// Digits and symbols may decorate words (Secret123!), not dominate.
	if letters == 0 || letters*10 < len(v)*6 {
		return false
	}
	long := false
	for _, t := range tokens(v) {
		t = strings.ToLower(t)
		if !segment(t) {
			return false
		}
		if len(t) >= 3 {
			long = true
		}
	}
	return long
}

// Identifier reports whether v is shaped like a name in code rather than
// key material: letters (and underscores or $) with at most two trailing
// digits, each camel or snake part pronounceable (binance_api_secret,
// apiPassphrase, getAccessToken). Random letters rarely are: a part without
// a vowel, or with four consonants in a row, gives them away.
func Identifier(v string) bool {
	if v == "" || !(isLetter(v[0]) || v[0] == '_' || v[0] == '$') {
		return false
	}
	body := strings.TrimRight(v, "0123456789")
	if len(v)-len(body) > 2 || body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		if c := body[i]; !(isLetter(c) || c == '_' || c == '$') {
			return false
		}
	}
	ts := tokens(body)
	if len(ts) == 0 {
		return false
	}
	single := 0
	for _, t := range ts {
		if len(t) == 1 {
			single++
			continue
		}
		if !pronounceable(strings.ToLower(t)) && !segment(strings.ToLower(t)) {
			return false
		}
	}
	return single <= 1
}

// Label reports whether v is a name made of parts: lowercase (or
// Capitalized) words or syllables joined by - _ : . or /, or ending in one
// (csc-e2e-populate, user:1000:name, secret_Ws_t0ken, cmdstat_echo:).
// Key material has no such parts: a part with inner capitals or without a
// vowel gives it away (s3Kr1t-ZqX7-pL9m).
func Label(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("-_:./", r) })
	trailing := v != "" && strings.ContainsRune("-_:./", rune(v[len(v)-1]))
	if len(parts) == 0 || len(parts) < 2 && !trailing {
		return false
	}
	for _, p := range parts {
		for i := 1; i < len(p); i++ {
			if isUpper(p[i]) {
				return false
			}
		}
		if digitsOnly(p) || len(p) <= 3 {
			continue
		}
		l := strings.ToLower(leet.Replace(p))
		letters := strings.Trim(l, "0123456789")
		// Names abbreviate (cmdstat): more consonants than words.
		if !syllables(letters, 6) && !segment(letters) {
			return false
		}
	}
	return true
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// pronounceable: a vowel, and no run of four consonants.
func pronounceable(t string) bool { return syllables(t, 4) }

// syllables: a vowel, and no run of maxRun consonants (or digits).
func syllables(t string, maxRun int) bool {
	vowel, run := false, 0
	for i := 0; i < len(t); i++ {
		if strings.IndexByte("aeiouy", t[i]) >= 0 {
			vowel, run = true, 0
			continue
		}
		run++
		if run >= maxRun {
			return false
		}
	}
	return vowel
}

func isLetter(c byte) bool { return isLower(c) || isUpper(c) }
func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
