// Package keyaudit checks exchange keys against the policy's least
// privilege: each bot's Bitget key is asked about at the exchange
// (accepted or rejected, and why), its permissions are put in words, and a
// withdraw, wallet-transfer or sub-account permission (configurable), an
// empty IP allowlist (configurable) or a rejected key is a violation.
//
// Invariants: a Result and a Report hold no credential value, only the
// key masked as keygate masks (****e1f0); Bitget's free-text messages are
// never carried. A key is proven revoked only by Bitget's "invalid key"
// codes, never by another refusal (a wrong passphrase or a foreign IP says
// nothing about whether the key still exists).
package keyaudit
