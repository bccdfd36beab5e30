package rules

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/wasilibs/go-re2/experimental"
)

// IDPattern is what a rule id must match: kebab-case.
const IDPattern = `^[a-z0-9]+(?:-[a-z0-9]+)*$`

var idRE = regexp.MustCompile(IDPattern)

// ChecksumCRC32Base62 is the check of GitHub's and npm's token formats: the
// last 6 characters are the CRC32 of the characters between the prefix's
// underscore and them, in base62 (0-9A-Za-z), zero-padded.
const ChecksumCRC32Base62 = "crc32-base62"

// ChecksumBIP39 is the check of a BIP-39 mnemonic: 12 to 24 words of the
// English list whose last bits are a SHA-256 checksum of the rest.
const ChecksumBIP39 = "bip39"

// ChecksumBase58Check is the check of Bitcoin's base58check encoding (WIF
// keys, BIP-32 extended keys): the last 4 bytes are a double SHA-256 of
// the rest.
const ChecksumBase58Check = "base58check"

// ChecksumPEM is the check of a private key block: a DER key's SEQUENCE
// header (PKCS#1, PKCS#8, SEC1) or an OpenSSH key's length fields declare
// how long the body is; a complete block (END line found) whose body is
// shorter, or is not that encoding, is a dummy. Unlike the others it reads
// the block around the secret, which is its first body line.
const ChecksumPEM = "pem"

// ChecksumBIP39Whole is ChecksumBIP39 over the whole secret: it is one
// mnemonic of 12, 15, 18, 21 or 24 words, not a run holding one (a bare
// phrase must be the entire value it stands in).
const ChecksumBIP39Whole = "bip39-whole"

// ChecksumJWT is the check of a JSON Web Token's structure: its header and
// claims are base64url JSON objects (RFC 7519), and its claims are not
// those of a key published by design (a Supabase project's anon key, which
// Supabase's client libraries put in every browser).
const ChecksumJWT = "jwt"

// ChecksumDER is the check of a private key written as the base64 of its
// DER, without PEM armour: the value decodes to exactly the length its
// SEQUENCE header declares, and a version INTEGER (0 or 1) opens the
// SEQUENCE, as in PKCS#8, PKCS#1 and SEC1 keys (not in public keys or
// certificates).
const ChecksumDER = "der"

// Checksums lists the checks a rule's checksum field may name; the
// detector implements each.
var Checksums = []string{ChecksumCRC32Base62, ChecksumBIP39, ChecksumBIP39Whole, ChecksumBase58Check, ChecksumPEM, ChecksumJWT, ChecksumDER}

func (p *Pack) validate(file string, docLine int) error {
	var errs []error
	add := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if p.Name == "" {
		add(docLine, "pack has no name")
	}
	if len(p.Rules) == 0 {
		add(docLine, "pack has no rules")
	}
	for _, ph := range p.Allow.Placeholders {
		if _, err := syntax.Parse(ph, syntax.Perl); err != nil {
			add(docLine, "allow.placeholders: bad regex %q: %v", ph, syntaxMsg(err))
		}
	}
	for _, g := range p.Allow.Paths {
		if !doublestar.ValidatePattern(g) {
			add(docLine, "allow.paths: bad path glob %q", g)
		}
	}
	seen := map[string]int{}
	for i := range p.Rules {
		r := &p.Rules[i]
		at := func(format string, args ...any) {
			add(r.Line, "rule %q: "+format, append([]any{r.ID}, args...)...)
		}
		if r.ID == "" {
			add(r.Line, "rule has no id")
		} else if !idRE.MatchString(r.ID) {
			at("id must be kebab-case (lowercase letters, digits, single dashes)")
		}
		if prev, dup := seen[r.ID]; dup && r.ID != "" {
			at("duplicate id (first defined at line %d)", prev)
		} else {
			seen[r.ID] = r.Line
		}
		if r.Family != "" && !idRE.MatchString(r.Family) {
			at("family %q must be kebab-case", r.Family)
		}
		if r.Checksum != "" && !slices.Contains(Checksums, r.Checksum) {
			at("checksum %q: must be one of %s", r.Checksum, strings.Join(Checksums, ", "))
		}
		if r.Verify != "" {
			if err := CheckVerify(r.Verify); err != nil {
				at("verify %q: %v", r.Verify, err)
			}
		}
		if !r.Severity.Valid() {
			at("severity %q: must be critical, high, medium or low", r.Severity)
		}
		if len(r.Keywords) == 0 {
			at("keywords is empty: every rule needs at least one literal to prefilter on")
		}
		for _, k := range r.Keywords {
			if k == "" {
				at("keywords holds an empty string")
			}
		}
		if r.Pattern == "" {
			at("pattern is empty")
		} else if re, err := syntax.Parse(r.Pattern, syntax.Perl); err != nil {
			// Parsing checks the syntax and counts the groups; compiling is
			// the engine's job, when the rule is first used.
			at("bad pattern: %v", syntaxMsg(err))
		} else if sc := scopeOf(re); r.SecretGroup < 0 || r.SecretGroup > re.MaxCap() {
			at("secret_group %d is beyond the pattern's %d group(s)", r.SecretGroup, re.MaxCap())
		} else {
			// One parse serves the checks and the detector's windowing.
			r.Scope = &sc
		}
		if r.Scope != nil && !strings.HasPrefix(file, builtinPrefix) {
			// Patterns run on RE2 (see detector): an extra pack's pattern
			// must compile there too. The embedded pack is checked by tests.
			if _, err := experimental.CompileLatin1(r.Pattern); err != nil {
				at("pattern is not accepted by the RE2 engine: %v", err)
			}
		}
		if r.MinEntropy < 0 || r.MinEntropy > 8 {
			at("min_entropy %v: must be between 0 and 8 bits per byte", r.MinEntropy)
		}
		switch r.Gate {
		case "", GateGeneric, GateCode, GateValue, GateGroup, GateStructured, GateSensitive:
		default:
			at("gate %q: must be empty, %q, %q, %q, %q, %q or %q", r.Gate, GateGeneric, GateCode, GateValue, GateGroup, GateStructured, GateSensitive)
		}
		if r.Prefilter != "" && r.Prefilter != PrefilterWordRun {
			at("prefilter %q: must be empty or %q", r.Prefilter, PrefilterWordRun)
		}
		for _, g := range r.Paths {
			if !doublestar.ValidatePattern(g) {
				at("bad path glob %q", g)
			}
		}
		for _, g := range r.AllowPaths {
			if !doublestar.ValidatePattern(g) {
				at("bad allow_paths glob %q", g)
			}
		}
		for _, a := range r.Allow {
			if _, err := syntax.Parse(a, syntax.Perl); err != nil {
				at("bad allow regex %q: %v", a, syntaxMsg(err))
			}
		}
		if len(r.Examples) == 0 && !p.converted && p.ConvertedFrom == "" {
			at("no examples: every rule needs at least one text it must match")
		}
	}
	return errors.Join(errs...)
}

// syntaxMsg drops the package prefix from regexp errors.
func syntaxMsg(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("%s: `%s`", se.Code, se.Expr)
	}
	return err.Error()
}
