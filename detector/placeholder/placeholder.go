// Package placeholder decides whether a candidate secret is a stand-in
// rather than a credential: a template, mask or reference (the rule pack's
// allow.placeholders), a placeholder word or phrase (test_…, your_…, …_here,
// example, dummy, xxxx, a value masked in parts as ab12XXX_cdXXX), or a value made mostly of repeated or sequential
// runs (AKIAXXXXXXXXXXXXXXXX, 0x0123456789abcdef…). Every rule's matches
// go through one Set, so a placeholder is quiet under every rule alike.
//
// It also answers the generic rule's question "is this value words?"
// (Words): a composition of dictionary words, camel- or snake-cased, with
// digits, symbols or leetspeak (SuperSecret1!, somethingrandom, P@ssw0rd).
// Nothing here sees more than the value it is given.
package placeholder

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"github.com/keygate/keygate/internal/lazyre"
)

// Set is the compiled placeholder component. It is safe for concurrent use.
type Set struct {
	// patterns are the pack's, compiled on first use: a one-file commit
	// hook often judges no candidate at all, and compiling them cost it
	// half a millisecond.
	patterns func() []pattern
}

// New checks the pack's placeholder regexes (allow.placeholders), to be
// used on top of the built-in placeholder shapes.
func New(patterns []string) (*Set, error) {
	for _, p := range patterns {
		// Compile fails only where Parse does: what it adds cannot fail.
		if _, err := syntax.Parse(p, syntax.Perl); err != nil {
			return nil, fmt.Errorf("allow.placeholders %q: %w", p, err)
		}
	}
	exprs := slices.Clone(patterns)
	return &Set{patterns: sync.OnceValue(func() []pattern {
		out := make([]pattern, 0, len(exprs))
		for _, p := range exprs {
			if re, err := regexp.Compile(p); err == nil {
				out = append(out, newPattern(re))
			}
		}
		return out
	})}, nil
}

// Listed reports whether v matches one of the pack's placeholder patterns
// (and not merely a built-in shape): an active value from an env file is
// not searched only when it is a declared stand-in such as ${VAR} or
// changeme, for a real key may well be made of runs.
func (s *Set) Listed(v string) bool {
	c := newCandidate(v)
	for _, p := range s.patterns() {
		if p.match(c) {
			return true
		}
	}
	return false
}

// builtin are placeholder shapes every pack shares: documentation and test
// stand-ins that no issuer hands out as a credential.
var builtin = lazyre.New(`(?i)` +
	`^your[a-z]` + // yourapikey
	`|[_-](?:here|goes[_-]?here|placeholder)$` + // api_key_here
	`|example|dummy|placeholder|changeme|change[_-]me|redacted|xxxx|\.\.\.|…` +
	`|xxx.*xxx` + // masked in parts: 4hQmZXXX_PLW7XXXRTNB
	`|^(?:test|fake|dummy|mock|sample|secret|s3cr3t|password|passw0rd|p@ssw0rd|pass|passwd|pwd|pw|token|apikey|api[_-]key|user|username|login|qwerty|qwerty123|foobar|hunter2|letmein|123456|12345678|123456789)$`)

// The built-in patterns are compiled on first use: a commit hook whose
// change holds no candidate value never needs them.
var builtinPattern = sync.OnceValue(func() pattern { return newPattern(builtin.Regexp()) })

// placeholderPrefix is a value that starts with a placeholder word
// (test_api_key, your-token, fake_secret).
var placeholderPrefix = sync.OnceValue(func() pattern {
	return newPattern(regexp.MustCompile(`(?i)^(?:test|testing|fake|dummy|mock|sample|demo|your)[_-]`))
})

// testModeKey is a provider's test-mode key: test_ then key material of hex
// digits only (Lob's test_<35 hex> and test_pub_<31 hex>). Its prefix is part
// of the issued format, not a placeholder word; the key works against the
// provider's test environment and is a credential.
var testModeKey = lazyre.New(`^test_(?:pub_)?[0-9a-f]{24,}$`)

// Is reports whether v is a placeholder: a key published as test data, a
// match of a pack pattern or a built-in placeholder shape, mostly repeated
// or sequential runs, or words that name themselves a secret.
func (s *Set) Is(v string) bool {
	// A value quoted inside what a rule took (`"${GIT_TOKEN}"` as a URL's
	// password in a shell line) is judged by what the quotes hold.
	if n := len(v); n > 2 && (v[0] == '"' || v[0] == '\'') && v[n-1] == v[0] {
		v = v[1 : n-1]
	}
	if published(v) {
		return true
	}
	c := newCandidate(v)
	for _, p := range s.patterns() {
		if p.match(c) {
			return true
		}
	}
	if placeholderPrefix().match(c) && !testModeKey.MatchString(v) {
		return true
	}
	return builtinPattern().match(c) || typedInRuns(v) || selfNamed(v)
}

// typedInRuns reports a value typed rather than drawn at random: mostly
// runs (see runCounts); of at least eight letters and digits, letters among
// them, all but two in runs (a run and the two characters a password
// policy asks for: the sample passphrase `1234567Aa`); or of at least nine,
// letters among them, mostly runs of three (see shortRunShare). Digits
// alone are judged by the first only: a random 8-digit number is mostly
// short runs about once in 2,000 (1234 9876 is), and a numeric password is
// a password.
func typedInRuns(v string) bool {
	in, n := runCounts(v, 4, 5)
	if n == 0 {
		return false
	}
	if float64(in) >= runShare*float64(n) {
		return true
	}
	if !hasLetter(v) {
		return false
	}
	if n >= 8 && n-in <= 2 {
		return true
	}
	short, _ := runCounts(v, 3, 3)
	return n >= 9 && float64(short) >= shortRunShare*float64(n)
}

func hasLetter(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i] | 0x20; 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// secretTokens are the words by which an example value names what it
// stands for.
var secretTokens = map[string]bool{
	"password": true, "passwd": true, "passphrase": true, "secret": true, "token": true, "apikey": true,
}

// selfNamed reports a value of words that calls itself a secret
// (SuperSecurePassword in a sample config, my-secret-token, YourPassword1):
// an example names what it stands for, a chosen password or a key does not.
func selfNamed(v string) bool {
	if !Words(v) {
		return false
	}
	// Read with leetspeak (Passw0rd) and without it, so that a trailing
	// digit (CleartextPassword1) is not read as a letter of the word.
	for _, t := range append(tokens(leet.Replace(v)), tokens(v)...) {
		if secretTokens[strings.ToLower(t)] {
			return true
		}
	}
	return false
}

// runShare is the share of a value's letters and digits in repeated or
// sequential runs from which it is a placeholder. Real key material has
// runs too (OpenSSH keys hold AAAAAAAAAA), never most of its length; and
// synthetic fixtures such as 5eed5eed0123456789abcdef… (three quarters
// runs) stay findings, as the tests that plant them need.
const runShare = 0.8

// shortRunShare is the share of a value's letters and digits in runs of
// three from which it is a placeholder: a value typed as abc123, def456 and
// xyz (dapi1234567890abcdef1234567890abcd in a README, AbCeFG123) is all
// short runs, where a random one of any length almost never holds two.
const shortRunShare = 0.85

// runCounts returns how many of v's letters and digits lie in runs of
// minSame equal or minNext consecutive characters (case ignored), and how
// many there are: runs of four equal or five consecutive (xxxx, 0000,
// 12345, abcdef, 9876, 789abc) for runShare, runs of three (aaa, abc,
// 123, xyz) for shortRunShare.
func runCounts(v string, minSame, minNext int) (in, alnum int) {
	b := []byte(strings.ToLower(v))
	for _, c := range b {
		if isAlnum(c) {
			alnum++
		}
	}
	if alnum == 0 {
		return 0, 0
	}
	inRun := make([]bool, len(b))
	for _, same := range []bool{true, false} {
		min := minSame
		if !same {
			min = minNext
		}
		start, dir := 0, 0
		for k := 1; k <= len(b); k++ {
			ok := false
			if k < len(b) && isAlnum(b[k]) && isAlnum(b[k-1]) {
				if same {
					ok = b[k] == b[k-1]
				} else if d := next(b[k-1], b[k]); d != 0 && (dir == 0 || d == dir) {
					ok, dir = true, d
				}
			}
			if ok {
				continue
			}
			if k-start >= min {
				for j := start; j < k; j++ {
					inRun[j] = true
				}
			}
			start, dir = k, 0
		}
	}
	for k, c := range b {
		if inRun[k] && isAlnum(c) {
			in++
		}
	}
	return in, alnum
}

// next is +1 when b follows a in 0-9a-z order (9 to a and 9 to 0 count, as
// in hex and in 1234567890), -1 when it precedes it, and 0 otherwise.
func next(a, b byte) int {
	switch {
	case b == a+1 || (a == '9' && (b == 'a' || b == '0')):
		return 1
	case a == b+1 || (b == '9' && (a == 'a' || a == '0')):
		return -1
	}
	return 0
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
