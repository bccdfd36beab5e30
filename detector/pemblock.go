package detector

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"

	"github.com/keygate/keygate/detector/placeholder"
)

// The private-key block check (rules.ChecksumPEM). A key's encoding
// declares its own length: a DER key (PKCS#1, PKCS#8, SEC1, encrypted
// PKCS#8) opens with a SEQUENCE header giving the bytes that follow, an
// OpenSSH key is a run of length-prefixed strings after its magic. A
// complete block (its END line found) whose body decodes to fewer bytes
// than declared, or whose body is not that encoding at all, is a
// truncated or made-up example, not a key, when that body is short or not
// random (minCutKey): a long random one is what is left of a real key.
//
// The check never drops a real key: the body it measures is an upper bound
// (every base64 character between the body's start and the END line,
// including any of the wrapping a string literal or comment adds), and a
// block it cannot judge is kept: no END line (a diff hunk, a cut log), a
// label it does not know (PGP), a legacy encrypted body (Proc-Type:
// 4,ENCRYPTED: ciphertext, no structure), a body whose wrapping it cannot
// take apart line by line (OpenSSH only; DER needs just the upper bound).

// Bounds of the text read around a match: how far back its BEGIN line may
// be (headers, wrapping), how far ahead its END line (an 8192-bit RSA key
// is under 7 KB of base64; the rule's window reaches 16 KB).
const (
	pemHeadBack = 4 << 10
	pemBodyMax  = 16 << 10
)

// opensshMagic opens every OpenSSH private key body (PROTOCOL.key).
const opensshMagic = "openssh-key-v1\x00"

// pemKind is how a block's body is encoded, by its label.
type pemKind int

const (
	pemUnknown pemKind = iota // not judged: PGP, labels outside the list
	pemDER
	pemOpenSSH
)

// pemKindOf reads the label of a BEGIN line: "RSA PRIVATE KEY" is DER.
func pemKindOf(label string) pemKind {
	switch strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(label), "PRIVATE KEY")) {
	case "", "RSA", "DSA", "EC", "ENCRYPTED":
		return pemDER
	case "OPENSSH":
		return pemOpenSSH
	}
	return pemUnknown
}

// blockVerdict is what a block check makes of the text around a secret.
type blockVerdict int

const (
	// blockNoKey: the block is no key; the match is dropped.
	blockNoKey blockVerdict = iota
	// blockUnjudged: the check cannot tell; the match stands as it is.
	blockUnjudged
	// blockKey: a complete body of the declared length and of random
	// bytes. Its first line is not read for placeholder shapes: one in
	// 30,000 random lines holds an xXxx run, and a key is no stand-in for
	// it.
	blockKey
)

// minKeyEntropy is the least entropy (bits per character) of a body whose
// structure holds for blockKey: random base64 has about 5 and more, a body
// padded out with x's to the declared length under 2.5.
const minKeyEntropy = 4.0

// pemBlock judges buf[start:end], the first body line of a private key
// block: blockNoKey for a complete block whose body is shorter than its
// encoding declares or not that encoding, unless long and random
// (minCutKey), blockKey for a complete, random body of its declared length
// or a long random one whatever its structure, blockUnjudged for a block
// it cannot judge.
func pemBlock(buf []byte, start, end int) blockVerdict {
	switch ok, whole := pemBlockOK(buf, start, end); {
	case !ok, whole != "" && placeholder.KeyBlock(whole):
		return blockNoKey
	case whole != "" && Entropy(whole) >= minKeyEntropy:
		return blockKey
	}
	return blockUnjudged
}

// pemBlockOK reports whether buf[start:end], the first body line of a
// private key block, opens a key whose complete body is as long as its
// encoding declares (or a block it cannot judge). It reports false for a
// complete block that is no key. whole is the base64 body of a block
// whose length it checked and found whole, or of one long and random
// enough to be a key whatever its structure says, else empty.
func pemBlockOK(buf []byte, start, end int) (ok bool, whole string) {
	lo := max(0, start-pemHeadBack)
	b := bytes.LastIndex(buf[lo:start], []byte("-----BEGIN"))
	if b < 0 {
		return true, ""
	}
	b += lo + len("-----BEGIN")
	l := bytes.Index(buf[b:start], []byte("-----"))
	if l < 0 {
		return true, ""
	}
	kind := pemKindOf(string(buf[b : b+l]))
	headers := buf[b+l : start]
	if kind == pemUnknown || bytes.Contains(headers, []byte("Proc-Type:")) || bytes.Contains(headers, []byte("DEK-Info:")) {
		return true, ""
	}
	hi := min(len(buf), end+pemBodyMax)
	stop := bytes.Index(buf[end:hi], []byte("-----END"))
	if stop < 0 || bytes.Contains(buf[end:end+stop], []byte("-----BEGIN")) {
		return true, "" // not complete here
	}
	body := pemBodyOf(buf[start : end+stop])
	have := body.chars * 6 / 8
	head := decodeHead(buf[start:end])
	// A body too short or not in its encoding is no key, unless what is
	// there is long and random: a real key with lines cut out or its
	// first line edited still holds most of its fields (an RSA key's
	// primes sit in its second half, and either one rebuilds it), so a
	// change cannot hide a key by breaking its structure. A doc's
	// example cut down to a few lines, or to a fraction of the length its
	// first line declares, stays no key. Such a body is judged as a whole
	// key is (blockKey): its first line, perhaps the one rewritten, is
	// not read for placeholder shapes.
	cutKey := func(need int) (bool, string) {
		long := have >= minHeadlessKey || need > 0 && have >= minCutKey && 2*have >= need
		if long && Entropy(body.text) >= minKeyEntropy {
			return true, body.text
		}
		return false, ""
	}
	switch kind {
	case pemDER:
		need, ok := derLength(head)
		if !ok {
			return cutKey(0)
		}
		if need > have {
			return cutKey(need)
		}
		return true, body.text
	default: // pemOpenSSH
		if !strings.HasPrefix(string(head), opensshMagic) {
			return cutKey(0)
		}
		if !body.clean {
			return true, ""
		}
		data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(body.text, "="))
		if err != nil {
			return true, ""
		}
		need, ok := opensshLength(data)
		if !ok {
			return cutKey(0)
		}
		if need > have {
			return cutKey(need)
		}
		return true, body.text
	}
}

// A random body shorter than its first line declares is a key with lines
// cut out when it holds at least minCutKey bytes and half the length; one
// whose first line declares nothing (rewritten, or cut off with the lines
// around it) when it holds minHeadlessKey bytes, most of an RSA-2048 key's
// second half. Shorter ones are what a doc's truncated example is.
const (
	minCutKey      = 192
	minHeadlessKey = 512
)

// decodeHead decodes the whole quanta of base64 that open a secret (a
// body's first line, or the body up to its first escape; JSON's escaped
// slash \/ is a slash), up to headMax characters.
func decodeHead(secret []byte) []byte {
	var run []byte
	for i := 0; i < len(secret) && len(run) < headMax; i++ {
		c := secret[i]
		if c == '\\' && i+1 < len(secret) && secret[i+1] == '/' {
			continue
		}
		if c == '=' || !b64Body[c] {
			break
		}
		run = append(run, c)
	}
	run = run[:len(run)&^3]
	out := make([]byte, base64.StdEncoding.DecodedLen(len(run)))
	n, err := base64.StdEncoding.Decode(out, run)
	if err != nil {
		return nil
	}
	return out[:n]
}

// headMax bounds the characters decodeHead reads: the 15-byte OpenSSH
// magic and a DER header take 20.
const headMax = 64

// derLength returns the length of the DER element a SEQUENCE header at
// the start of der declares, header included; ok is false when der does
// not open with a definite-length SEQUENCE.
func derLength(der []byte) (int, bool) {
	header, size, ok := derSequence(der)
	return header + size, ok
}

// derSequence reads the SEQUENCE header at the start of der: its own
// length and the length of the content it declares.
func derSequence(der []byte) (header, size int, ok bool) {
	if len(der) < 2 || der[0] != 0x30 {
		return 0, 0, false
	}
	if der[1] < 0x80 {
		return 2, int(der[1]), true
	}
	n := int(der[1] & 0x7f)
	if n == 0 || n > 4 || len(der) < 2+n {
		return 0, 0, false // indefinite (not DER) or beyond any key's size
	}
	for _, c := range der[2 : 2+n] {
		size = size<<8 | int(c)
	}
	return 2 + n, size, true
}

// opensshLength returns the length an OpenSSH key body declares: the magic,
// cipher, KDF and KDF options, the key count, each public key and the
// private section, each string with its 4-byte length. Where data ends
// early, the declared length is at least what was read plus the next
// length field. ok is false for a key count no key file has.
func opensshLength(data []byte) (int, bool) {
	pos := len(opensshMagic)
	str := func() bool {
		if pos+4 > len(data) {
			pos += 4
			return false
		}
		pos += 4 + int(binary.BigEndian.Uint32(data[pos:]))
		return pos <= len(data)
	}
	for range 3 { // cipher, KDF, KDF options
		if !str() {
			return pos, true
		}
	}
	if pos+4 > len(data) {
		return pos + 4, true
	}
	n := binary.BigEndian.Uint32(data[pos:])
	pos += 4
	if n == 0 || n > 16 {
		return 0, false
	}
	for range n + 1 { // the public keys, then the private section
		if !str() {
			return pos, true
		}
	}
	return pos, true
}

// pemBody is what a block's body holds, read through its wrapping.
type pemBody struct {
	// chars counts the base64 characters (without padding) between the
	// body's start and its END line: at least the body's own.
	chars int
	// text is the body, one base64 run per line; clean is false when some
	// line held more than its run and the wrapping around it (a quote, a
	// concatenation's +, a comment's //), so text may not be the body.
	text  string
	clean bool
}

// pemBodyOf reads a body as raw PEM lines, lines of string literals
// joined by \n escapes or concatenation, or comment-prefixed lines.
func pemBodyOf(s []byte) pemBody {
	out := pemBody{clean: true}
	if bytes.Contains(s, []byte(`\/`)) {
		s = bytes.ReplaceAll(s, []byte(`\/`), []byte("/")) // JSON's escaped slash
	}
	var text strings.Builder
	var runs [][2]int // this line's base64 runs
	runStart := -1
	endRun := func(i int) {
		if runStart >= 0 {
			runs = append(runs, [2]int{runStart, i})
			runStart = -1
		}
	}
	endLine := func(i int) {
		endRun(i)
		best := -1
		for k, r := range runs {
			if best < 0 || r[1]-r[0] > runs[best][1]-runs[best][0] {
				best = k
			}
		}
		for k, r := range runs {
			if k != best && !wrapping(s[r[0]:r[1]]) {
				out.clean = false
			}
		}
		if best >= 0 && !(len(runs) == 1 && wrapping(s[runs[best][0]:runs[best][1]])) {
			text.Write(s[runs[best][0]:runs[best][1]])
		}
		runs = runs[:0]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			// An escape: \n and \r break the line (any number of
			// backslashes: a string escaped twice); any other escaped
			// character is no body character (\t, \").
			j := i
			for j < len(s) && s[j] == '\\' {
				j++
			}
			if j < len(s) && (s[j] == 'n' || s[j] == 'r') {
				endLine(i)
				i = j
			} else {
				endRun(i)
				i = j
			}
		case c == '\n' || c == '\r':
			endLine(i)
		case b64Body[c]:
			if runStart < 0 {
				runStart = i
			}
			if c != '=' {
				out.chars++
			}
		default:
			endRun(i)
		}
	}
	endLine(len(s))
	out.text = text.String()
	return out
}

// wrapping reports a run of base64's alphabet that is a string
// concatenation (+) or comment marker (//) rather than body.
func wrapping(run []byte) bool {
	return len(run) <= 2 && len(bytes.Trim(run, "+/")) == 0
}

// b64Body is the standard base64 alphabet with its padding.
var b64Body = func() (t [256]bool) {
	for _, c := range []byte(b64Std) {
		t[c] = true
	}
	return
}()
