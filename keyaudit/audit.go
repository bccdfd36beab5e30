package keyaudit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/detector"
)

// Verdict is what the exchange said of a key.
type Verdict string

// Verdicts.
const (
	// Accepted: the key works; its permissions and allowlist are known.
	Accepted Verdict = "accepted"
	// Rejected: Bitget refused the key (Code and Why say why).
	Rejected Verdict = "rejected"
	// Unchecked: keygate could not tell (unreachable, unusable answer,
	// clock), so neither pass nor violation.
	Unchecked Verdict = "unchecked"
)

// ViolationKind names a breach of least privilege.
type ViolationKind string

// Violation kinds.
const (
	Withdraw            ViolationKind = "withdraw"
	WalletTransfer      ViolationKind = "wallet-transfer"
	SubAccount          ViolationKind = "sub-account"
	ForbiddenPermission ViolationKind = "forbidden-permission"
	NoIPAllowlist       ViolationKind = "no-ip-allowlist"
	KeyRejected         ViolationKind = "key-rejected"
)

var kindOf = map[string]ViolationKind{"wwow": Withdraw, "wtow": WalletTransfer, "chow": SubAccount}

// Violation is one breach, with a message that names the bot.
type Violation struct {
	Kind    ViolationKind `json:"kind"`
	Message string        `json:"message"`
}

// Result is the audit of one bot's key. It holds no value.
type Result struct {
	Bot string `json:"bot"`
	// Exchange names the exchange (bitget, binance, okx, bybit); empty in
	// reports from before the other exchanges: bitget.
	Exchange string `json:"exchange,omitempty"`
	// APIKey is the key masked (****e1f0).
	APIKey  string  `json:"api_key"`
	Verdict Verdict `json:"verdict"`
	// Code is Bitget's error code when it refused the key.
	Code string `json:"code,omitempty"`
	// Why says why a key is rejected or unchecked.
	Why         string       `json:"why,omitempty"`
	Permissions []Permission `json:"permissions,omitempty"`
	// IPAllowlist holds the allowlist's entries (addresses or networks).
	IPAllowlist   []string    `json:"ip_allowlist,omitempty"`
	IPAllowlistOn bool        `json:"ip_allowlist_on"`
	Violations    []Violation `json:"violations,omitempty"`
	// Live is set when Bitget knows the key although it did not list its
	// permissions (40014: no spot read permission): it is not revoked.
	Live bool `json:"live,omitempty"`
}

// Revoked reports whether Bitget said the key does not exist: the only
// proof of a revocation.
func (r Result) Revoked() bool {
	if r.Verdict != Rejected {
		return false
	}
	if r.Exchange != "" && r.Exchange != "bitget" {
		return slices.Contains(revokedCodes[r.Exchange], r.Code)
	}
	return r.Code == bitget.CodeInvalidKey || r.Code == bitget.CodeKeyDoesNotExist
}

// StillAccepted reports whether Bitget still knows the key.
func (r Result) StillAccepted() bool { return r.Verdict == Accepted || r.Live }

// Scope is the key's permissions in words ("spot trade, withdraw; IP
// allowlist on (2 entries)"), or its verdict when they are unknown.
func (r Result) Scope() string {
	if r.Verdict != Accepted {
		if r.Why != "" {
			return string(r.Verdict) + ": " + r.Why
		}
		return string(r.Verdict)
	}
	words := make([]string, 0, len(r.Permissions))
	for _, p := range r.Permissions {
		words = append(words, p.Words())
	}
	perms := strings.Join(words, ", ")
	if perms == "" {
		perms = "no permissions"
	}
	allow := "IP allowlist off"
	if r.IPAllowlistOn && len(r.IPAllowlist) == 0 {
		allow = "IP allowlist on"
	} else if r.IPAllowlistOn {
		allow = fmt.Sprintf("IP allowlist on (%d %s)", len(r.IPAllowlist), plural(len(r.IPAllowlist), "entry", "entries"))
	}
	return perms + "; " + allow
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Policy is what a key must not have.
type Policy struct {
	// Forbidden are permission codes that are violations.
	Forbidden []string `json:"forbidden_permissions"`
	// RequireIPAllowlist makes an empty allowlist a violation.
	RequireIPAllowlist bool `json:"require_ip_allowlist"`
}

// Auditor asks Bitget about keys. It syncs with Bitget's clock once,
// before the first key.
type Auditor struct {
	Client *bitget.Client
	Policy Policy

	once    sync.Once
	skew    time.Duration
	syncErr error
}

// New builds an Auditor from the configuration; the base URL is
// $KEYGATE_BITGET_BASE_URL when set, else exchanges.bitget.base_url.
func New(cfg config.Bitget) (*Auditor, error) {
	u, _, err := bitget.ResolveBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := bitget.New(u)
	c.Attempts = max(cfg.Attempts, 1)
	return &Auditor{Client: c, Policy: Policy{Forbidden: cfg.ForbiddenPermissions, RequireIPAllowlist: cfg.RequireIPAllowlist}}, nil
}

// Clock syncs with Bitget's clock (once) and returns the local clock's
// skew, or why it could not.
func (a *Auditor) Clock(ctx context.Context) (time.Duration, error) {
	a.once.Do(func() { a.skew, a.syncErr = a.Client.SyncClock(ctx) })
	return a.skew, a.syncErr
}

// ClockWarning says so when the host's clock is further from Bitget's than
// Bitget accepts; "" otherwise.
func ClockWarning(skew time.Duration) string {
	if skew <= bitget.MaxSkew && skew >= -bitget.MaxSkew {
		return ""
	}
	dir := "behind"
	if skew < 0 {
		dir, skew = "ahead of", -skew
	}
	return fmt.Sprintf("this host's clock is %s %s Bitget's (checked at %s): Bitget refuses requests more than %s off, so every bot on this host fails; fix the clock (NTP). keygate signed with Bitget's time",
		skew.Round(time.Second), dir, bitget.PathServerTime, bitget.MaxSkew)
}

// Check asks Bitget about one bot's key and judges it against the policy.
func (a *Auditor) Check(ctx context.Context, bot string, creds bitget.Credentials) Result {
	res := Result{Bot: bot, Exchange: "bitget", APIKey: detector.Mask(creds.Key)}
	if _, err := a.Clock(ctx); err != nil {
		res.Verdict, res.Why = Unchecked, scrub(err.Error(), creds)
		return res
	}
	info, err := a.Client.AccountInfo(ctx, creds)
	if err != nil {
		a.refused(&res, err, creds)
		return res
	}
	res.Verdict = Accepted
	for _, code := range info.Authorities {
		res.Permissions = append(res.Permissions, Describe(code))
	}
	for _, ip := range info.IPs {
		res.IPAllowlist = append(res.IPAllowlist, safeIP(ip))
	}
	res.IPAllowlistOn = len(res.IPAllowlist) > 0
	for _, p := range res.Permissions {
		if slices.Contains(a.Policy.Forbidden, p.Code) {
			kind, ok := kindOf[p.Code]
			if !ok {
				kind = ForbiddenPermission
			}
			res.Violations = append(res.Violations, Violation{Kind: kind,
				Message: fmt.Sprintf("the key of %s has the %s permission (%s): create one without it", bot, p.Meaning, p.Code)})
		}
	}
	if a.Policy.RequireIPAllowlist && !res.IPAllowlistOn {
		res.Violations = append(res.Violations, Violation{Kind: NoIPAllowlist,
			Message: fmt.Sprintf("the key of %s has no IP allowlist: bind it to the bot host's address", bot)})
	}
	return res
}

// refused fills res from an error of AccountInfo.
func (a *Auditor) refused(res *Result, err error, creds bitget.Credentials) {
	var api *bitget.APIError
	if !errors.As(err, &api) {
		res.Verdict, res.Why = Unchecked, scrub(err.Error(), creds)
		return
	}
	res.Code = api.Code
	why := bitget.Describe(api.Code)
	if why == "" {
		why = fmt.Sprintf("Bitget code %s (HTTP %d)", api.Code, api.HTTPStatus)
	}
	res.Why = why
	switch api.Code {
	case bitget.CodeInvalidKey, bitget.CodeKeyDoesNotExist, bitget.CodeSignError, bitget.CodePassphraseError,
		bitget.CodeIPNotAllowed, bitget.CodeFrozen:
		res.Verdict = Rejected
		res.Violations = append(res.Violations, Violation{Kind: KeyRejected,
			Message: fmt.Sprintf("the key of %s is rejected by Bitget: %s", res.Bot, why)})
	case bitget.CodeIncorrectPerms:
		// Bitget knows the key, but account/info needs spot read.
		res.Verdict, res.Live = Unchecked, true
		res.Why = "the key is live but lacks the spot read permission that listing its permissions needs (Bitget code 40014)"
	default:
		res.Verdict = Unchecked
	}
}

// safeIP keeps an allowlist entry that is an address or a network, and
// hides anything else: the answer is untrusted text.
func safeIP(s string) string {
	if _, err := netip.ParseAddr(s); err == nil {
		return s
	}
	if _, _, err := net.ParseCIDR(s); err == nil {
		return s
	}
	return "(unreadable entry)"
}

// scrub masks the key's values in text keygate is about to keep: the
// client's errors never hold them, and this makes sure.
func scrub(text string, creds bitget.Credentials) string {
	for _, v := range []string{creds.Key, creds.Secret, creds.Passphrase} {
		if v != "" {
			text = strings.ReplaceAll(text, v, detector.Mask(v))
		}
	}
	return text
}
