package detector

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/keygate/keygate/rules"
)

// Known-value findings (active credential values from an env file) share
// one rule id, so SARIF and baselines can name them.
const (
	KnownValueRuleID   = rules.KnownValueID
	KnownValueSeverity = "critical"
)

// MinKnownValueLen is the shortest value searched: shorter ones would match
// everywhere.
const MinKnownValueLen = 8

// KnownValue is an active credential: the variable's name and its value.
type KnownValue struct {
	Name  string
	Value string
}

// variant is one encoded form of a known value.
type variant struct {
	value int // index into the detector's known values
	text  string
	// For base64 forms: the partial 4-character groups just before and
	// after the aligned text still encode bytes of the value, so a match
	// is widened over them (when they are base64 characters).
	padLeft, padRight bool
	alphabet          string
}

const (
	b64Std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	b64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="
)

// base64Variants are the aligned base64 forms with their partial edges.
func base64Variants(value string) []variant {
	b := []byte(value)
	var out []variant
	for shift := 0; shift < 3 && shift < len(b); shift++ {
		n := (len(b) - shift) / 3 * 3
		if n == 0 {
			continue
		}
		left, right := shift > 0, len(b)-shift-n > 0
		out = append(out,
			variant{text: base64.StdEncoding.EncodeToString(b[shift : shift+n]), padLeft: left, padRight: right, alphabet: b64Std},
			variant{text: base64.URLEncoding.EncodeToString(b[shift : shift+n]), padLeft: left, padRight: right, alphabet: b64URL})
	}
	return out
}

// Variants returns every form in which value may be written by a bot, an
// HTTP client or a shell: raw; base64 (standard and URL-safe) at the three
// byte alignments, so it is found inside base64("key:" + value); percent
// encoding (query, path, lowercase hex); JSON escaping (with and without
// HTML and non-ASCII escapes); shell quoting; hex. Forms shorter than
// MinKnownValueLen are dropped.
func Variants(value string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if len(s) >= MinKnownValueLen && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(value)
	b := []byte(value)
	// Only whole 3-byte groups: their encoding does not depend on the bytes
	// around the value.
	for _, v := range base64Variants(value) {
		add(v.text)
	}
	q := url.QueryEscape(value)
	add(q)
	add(url.PathEscape(value))
	add(strings.ReplaceAll(q, "+", "%20"))
	add(lowerPercent(q))
	add(jsonInner(value, true, false))
	add(jsonInner(value, false, false))
	add(jsonInner(value, false, true))
	add(strings.ReplaceAll(value, "'", `'\''`))
	add(shellDouble(value))
	add(shellBackslash(value))
	add(hex.EncodeToString(b))
	add(strings.ToUpper(hex.EncodeToString(b)))
	return out
}

func lowerPercent(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		sb.WriteByte(s[i])
		if s[i] == '%' && i+2 < len(s) {
			sb.WriteString(strings.ToLower(s[i+1 : i+3]))
			i += 2
		}
	}
	return sb.String()
}

func jsonInner(v string, escapeHTML, asciiOnly bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return v
	}
	s := strings.TrimSuffix(buf.String(), "\n")
	s = s[1 : len(s)-1]
	if !asciiOnly {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			sb.WriteRune(r)
			continue
		}
		for _, u := range utf16Units(r) {
			fmt.Fprintf(&sb, `\u%04x`, u)
		}
	}
	return sb.String()
}

func utf16Units(r rune) []uint16 {
	if r < 0x10000 {
		return []uint16{uint16(r)}
	}
	r -= 0x10000
	return []uint16{uint16(0xd800 + (r >> 10)), uint16(0xdc00 + (r & 0x3ff))}
}

func shellDouble(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`")
	return r.Replace(v)
}

func shellBackslash(v string) string {
	var sb strings.Builder
	for _, c := range v {
		if c < utf8.RuneSelf && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_-./:@%+,", c)) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// addKnown registers the usable values and returns the variants to add to
// the automaton; it warns (by name, never value) about values too short
// to search.
func (d *Detector) addKnown(known []KnownValue) []variant {
	var out []variant
	for _, kv := range known {
		switch {
		case kv.Value == "":
			continue
		case d.placeholders.Listed(kv.Value):
			continue
		case utf8.RuneCountInString(kv.Value) < MinKnownValueLen:
			d.warnings = append(d.warnings, fmt.Sprintf(
				"%s is shorter than %d characters: its value is not searched (it would match everywhere)", kv.Name, MinKnownValueLen))
			continue
		}
		idx := len(d.known)
		d.known = append(d.known, kv)
		b64 := map[string]variant{}
		for _, v := range base64Variants(kv.Value) {
			if _, ok := b64[v.text]; !ok {
				b64[v.text] = v
			}
		}
		for _, text := range Variants(kv.Value) {
			v := variant{text: text}
			if bv, ok := b64[text]; ok && text != kv.Value {
				v = bv
			}
			v.value = idx
			out = append(out, v)
		}
	}
	return out
}

// knownHit checks a case-insensitive automaton hit against the variant's
// exact bytes and returns the match.
func (d *Detector) knownHit(out []rawMatch, buf []byte, v variant, start, end int) []rawMatch {
	if string(buf[start:end]) != v.text {
		return out
	}
	if v.padLeft {
		for k := 0; k < 4 && start > 0 && strings.IndexByte(v.alphabet, buf[start-1]) >= 0; k++ {
			start--
		}
	}
	if v.padRight {
		for k := 0; k < 4 && end < len(buf) && strings.IndexByte(v.alphabet, buf[end]) >= 0; k++ {
			end++
		}
	}
	kv := d.known[v.value]
	return append(out, rawMatch{start: start, end: end, rank: len(d.rules), rule: -1, envName: kv.Name, secret: kv.Value})
}
