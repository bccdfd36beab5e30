package rules

import (
	"fmt"
	"slices"
	"strings"
)

// Verifiers names the providers a rule's verify field may name, each with
// the parts of its credential (the first is the one the others are
// grouped around). The verifier package implements each; a test keeps the
// two lists equal.
var Verifiers = map[string][]string{
	"bitget":   {"key", "secret", "passphrase"},
	"binance":  {"key", "secret"},
	"okx":      {"key", "secret", "passphrase"},
	"bybit":    {"key", "secret"},
	"telegram": {"token"},
	"slack":    {"token"},
	"github":   {"token"},
}

// ParseVerify splits a verify field into its provider and part ("" when
// the field names the provider alone: the verifier tells the part from the
// value's shape).
func ParseVerify(spec string) (provider, part string) {
	provider, part, _ = strings.Cut(spec, ":")
	return provider, part
}

// CheckVerify checks a verify field: a provider of Verifiers, and a part
// of its credential when one is named.
func CheckVerify(spec string) error {
	provider, part := ParseVerify(spec)
	parts, ok := Verifiers[provider]
	if !ok {
		names := make([]string, 0, len(Verifiers))
		for n := range Verifiers {
			names = append(names, n)
		}
		slices.Sort(names)
		return fmt.Errorf("must be one of %s, optionally with :part", strings.Join(names, ", "))
	}
	if part != "" && !slices.Contains(parts, part) {
		return fmt.Errorf("part %q: %s credentials have %s", part, provider, strings.Join(parts, ", "))
	}
	return nil
}
