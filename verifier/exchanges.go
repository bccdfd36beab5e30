package verifier

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/lazyre"
	"github.com/keygate/keygate/okx"
)

// refusal is a provider's refusal code mapped to a verdict.
type refusal struct {
	status Status
	reason string
	ipOn   bool // the refusal says the key has an IP allowlist
}

// fromError turns a client's error into a verdict: the provider's code
// through codes, else unreachable, rate-limited or unusable.
func fromError(err error, code string, ok bool, codes map[string]refusal, title string, describe string) Verification {
	if !ok {
		return unreachable(err)
	}
	v := Verification{Status: Unknown, Code: code, Reason: title + " refused it: " + describe}
	if r, known := codes[code]; known {
		v.Status = r.status
		if r.reason != "" {
			v.Reason = r.reason
		}
		if r.ipOn {
			v.IPAllowlist = boolPtr(true)
		}
	}
	return v
}

// Binance verifies a Binance key and secret with GET
// /sapi/v1/account/apiRestrictions, signed as Binance documents.
type Binance struct{ Client *binance.Client }

// NewBinance returns the Binance verifier of client.
func NewBinance(c *binance.Client) *Binance {
	c.API.Attempts = Attempts
	return &Binance{Client: c}
}

// Name is the verify field's provider.
func (*Binance) Name() string { return "binance" }

// Title is the provider's name.
func (*Binance) Title() string { return "Binance" }

// Parts of a Binance credential.
func (*Binance) Parts() []Part { return []Part{PartKey, PartSecret} }

// EnvSuffix names the env variables of a bot's Binance key.
func (*Binance) EnvSuffix(p Part) string {
	return map[Part]string{PartKey: "BINANCE_API_KEY", PartSecret: "BINANCE_API_SECRET"}[p]
}

var binanceCodes = map[string]refusal{
	"-2008": {status: Revoked},
	"-2014": {status: Revoked},
	"-2015": {status: Unknown, reason: "Binance refused it with -2015: the key is revoked, or this host's IP is not on its allowlist (Binance does not say which)"},
	"-1022": {status: Unknown, reason: "Binance knows no key signed by this secret (-1022): the secret found does not sign for the key"},
}

// Verify asks Binance about the credential.
func (b *Binance) Verify(ctx context.Context, c Credential) Verification {
	r, err := b.Client.APIRestrictions(ctx, binance.Credentials{Key: c.Get(PartKey), Secret: c.Get(PartSecret)})
	if err != nil {
		api, ok := binance.IsAPIError(err)
		code, why := "", ""
		if ok {
			code, why = itoa(api.Code), binance.Describe(api.Code)
			if why == "" {
				why = "code " + code
			}
		}
		return fromError(err, code, ok, binanceCodes, "Binance", why)
	}
	return Verification{Status: Live, Reason: "Binance accepted the key (GET " + binance.PathAPIRestrictions + ")",
		Permissions: r.Permissions(), WithdrawEnabled: boolPtr(r.EnableWithdrawals), IPAllowlist: boolPtr(r.IPRestrict)}
}

// OKX verifies an OKX key, secret and passphrase with GET
// /api/v5/account/config, signed as OKX documents.
type OKX struct{ Client *okx.Client }

// NewOKX returns the OKX verifier of client.
func NewOKX(c *okx.Client) *OKX {
	c.API.Attempts = Attempts
	return &OKX{Client: c}
}

// Name is the verify field's provider.
func (*OKX) Name() string { return "okx" }

// Title is the provider's name.
func (*OKX) Title() string { return "OKX" }

// Parts of an OKX credential.
func (*OKX) Parts() []Part { return []Part{PartKey, PartSecret, PartPassphrase} }

// EnvSuffix names the env variables of a bot's OKX key.
func (*OKX) EnvSuffix(p Part) string {
	return map[Part]string{PartKey: "OKX_API_KEY", PartSecret: "OKX_API_SECRET", PartPassphrase: "OKX_PASSPHRASE"}[p]
}

var (
	okxKeyRE    = lazyre.New(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	okxSecretRE = lazyre.New(`^[0-9A-F]{32}$`)
)

// Classify: a UUID key, a 32-hex secret, else a passphrase.
func (*OKX) Classify(v string) Part {
	switch {
	case okxKeyRE.MatchString(v):
		return PartKey
	case okxSecretRE.MatchString(v):
		return PartSecret
	}
	return PartPassphrase
}

var okxCodes = map[string]refusal{
	okx.CodeInvalidKey:      {status: Revoked},
	okx.CodeIPNotAllowed:    {status: Live, ipOn: true, reason: "OKX knows the key, its secret and passphrase, but this host's IP is not on its allowlist (50110)"},
	okx.CodeInvalidSign:     {status: Unknown, reason: "OKX knows the key, but the secret found with it does not sign for it (50113)"},
	okx.CodePassphraseWrong: {status: Unknown, reason: "OKX knows the key, but the passphrase found with it is wrong (50105)"},
	okx.CodeRateLimit:       {status: Unknown, reason: "rate-limited by OKX (50011)"},
}

// Verify asks OKX about the credential.
func (o *OKX) Verify(ctx context.Context, c Credential) Verification {
	cfg, err := o.Client.AccountConfig(ctx, okx.Credentials{Key: c.Get(PartKey), Secret: c.Get(PartSecret), Passphrase: c.Get(PartPassphrase)})
	if err != nil {
		api, ok := okx.IsAPIError(err)
		code, why := "", ""
		if ok {
			code, why = api.Code, okx.Describe(api.Code)
			if why == "" {
				why = "code " + code
			}
		}
		return fromError(err, code, ok, okxCodes, "OKX", why)
	}
	return Verification{Status: Live, Reason: "OKX accepted the key (GET " + okx.PathAccountConfig + ")",
		Permissions: cfg.Perm, WithdrawEnabled: boolPtr(slices.Contains(cfg.Perm, "withdraw")), IPAllowlist: boolPtr(len(cfg.IPs) > 0)}
}

// Bybit verifies a Bybit key and secret with GET /v5/user/query-api,
// signed as Bybit documents.
type Bybit struct{ Client *bybit.Client }

// NewBybit returns the Bybit verifier of client.
func NewBybit(c *bybit.Client) *Bybit {
	c.API.Attempts = Attempts
	return &Bybit{Client: c}
}

// Name is the verify field's provider.
func (*Bybit) Name() string { return "bybit" }

// Title is the provider's name.
func (*Bybit) Title() string { return "Bybit" }

// Parts of a Bybit credential.
func (*Bybit) Parts() []Part { return []Part{PartKey, PartSecret} }

// EnvSuffix names the env variables of a bot's Bybit key.
func (*Bybit) EnvSuffix(p Part) string {
	return map[Part]string{PartKey: "BYBIT_API_KEY", PartSecret: "BYBIT_API_SECRET"}[p]
}

var bybitCodes = map[string]refusal{
	"10003": {status: Revoked},
	"10010": {status: Live, ipOn: true, reason: "Bybit knows the key and its secret, but this host's IP is not bound to it (10010)"},
	"10004": {status: Unknown, reason: "Bybit knows no key signed by this secret (10004): the secret found does not sign for the key"},
	"10006": {status: Unknown, reason: "rate-limited by Bybit (10006)"},
	"10018": {status: Unknown, reason: "rate-limited by Bybit (10018)"},
}

// Verify asks Bybit about the credential.
func (b *Bybit) Verify(ctx context.Context, c Credential) Verification {
	info, err := b.Client.QueryAPI(ctx, bybit.Credentials{Key: c.Get(PartKey), Secret: c.Get(PartSecret)})
	if err != nil {
		api, ok := bybit.IsAPIError(err)
		code, why := "", ""
		if ok {
			code, why = itoa(api.Code), bybit.Describe(api.Code)
			if why == "" {
				why = "code " + code
			}
		}
		return fromError(err, code, ok, bybitCodes, "Bybit", why)
	}
	perms := info.Permissions
	if info.ReadOnly {
		perms = append([]string{"read-only"}, perms...)
	}
	return Verification{Status: Live, Reason: "Bybit accepted the key (GET " + bybit.PathQueryAPI + ")",
		Permissions: perms, WithdrawEnabled: boolPtr(slices.Contains(info.Permissions, "Withdraw")), IPAllowlist: boolPtr(len(info.IPs) > 0)}
}

func itoa(n int) string { return strconv.Itoa(n) }

// rateLimited reports whether err is a client's last answer being 429.
func rateLimited(err error) bool {
	var un *apiclient.UnreachableError
	return errors.As(err, &un) && un.RateLimited()
}
