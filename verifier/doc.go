// Package verifier answers, for `keygate scan --verify`, whether a found
// credential is live: it groups a fragment's findings into whole
// credentials (a Bitget key with the secret and passphrase near it, or
// completed from the env file), asks each credential's own provider once
// with a read-only identity call, and returns a Verification per finding:
// live, revoked or unknown, with the reason and, where the provider says
// them, the permissions (withdraw, IP allowlist).
//
// It is scan's I/O stage: it runs after the CPU workers, on its own small
// pool (Stage.Workers), and asks about each credential once per run (the
// cache is keyed by a digest of the credential, in memory only).
//
// Invariants: a credential value is used only to sign or authenticate a
// request to its own provider's base URL (https, or http to loopback for a
// stand-in); a redirect elsewhere is refused. A Verification holds no
// value, and a Credential prints masked with every fmt verb. A provider's
// free text is never carried into a reason.
package verifier
