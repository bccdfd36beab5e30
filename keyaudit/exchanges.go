package keyaudit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/lazyre"
	"github.com/keygate/keygate/okx"
)

// ErrNoKey is wrapped by the errors of a bot that holds no key of an
// exchange.
var ErrNoKey = errors.New("no key")

// answer is what an exchange said of a key: its permissions in words and
// its allowlist, or its refusal.
type answer struct {
	perms []Permission
	ips   []string
	ipOn  bool
}

// refusal classes an exchange's code: rejected (a violation), revoked
// (the exchange says the key does not exist), else unchecked.
type refusal struct {
	why      string
	rejected bool
	revoked  bool
}

// Exchange audits bots' keys at Binance, OKX or Bybit, as Auditor does at
// Bitget. Build them with Exchanges.
type Exchange struct {
	// Name is the exchange in reports (binance); Title as people write it.
	Name, Title string
	// Suffixes are the env variables of a bot's key after BOTn_
	// (BINANCE_API_KEY, BINANCE_API_SECRET), the key first.
	Suffixes []string
	Policy   Policy
	baseURL  string
	ask      func(ctx context.Context, values []string) (*answer, error)
	// codeOf returns an error's refusal code ("" when it is none).
	codeOf func(err error) string
	codes  map[string]refusal
}

// BaseURL is the API the exchange is asked at.
func (e *Exchange) BaseURL() string { return e.baseURL }

// Exchanges builds the auditors of Binance, OKX and Bybit keys; a base URL
// comes from $KEYGATE_<NAME>_BASE_URL when set, else the configuration.
func Exchanges(cfg config.Exchanges) ([]*Exchange, error) {
	bu, err := binance.ResolveBaseURL(cfg.Binance.BaseURL)
	if err != nil {
		return nil, err
	}
	ou, err := okx.ResolveBaseURL(cfg.OKX.BaseURL)
	if err != nil {
		return nil, err
	}
	yu, err := bybit.ResolveBaseURL(cfg.Bybit.BaseURL)
	if err != nil {
		return nil, err
	}
	bc, oc, yc := binance.New(bu), okx.New(ou), bybit.New(yu)
	bc.API.Attempts, oc.API.Attempts, yc.API.Attempts = max(cfg.Binance.Attempts, 1), max(cfg.OKX.Attempts, 1), max(cfg.Bybit.Attempts, 1)
	policy := func(e config.Exchange) Policy {
		return Policy{Forbidden: e.ForbiddenPermissions, RequireIPAllowlist: e.RequireIPAllowlist}
	}
	return []*Exchange{{
		Name: "binance", Title: "Binance", Suffixes: []string{"BINANCE_API_KEY", "BINANCE_API_SECRET"},
		Policy: policy(cfg.Binance), baseURL: bc.API.BaseURL(),
		ask: func(ctx context.Context, v []string) (*answer, error) {
			r, err := bc.APIRestrictions(ctx, binance.Credentials{Key: v[0], Secret: v[1]})
			if err != nil {
				return nil, err
			}
			a := &answer{ipOn: r.IPRestrict}
			for _, p := range r.Permissions() {
				a.perms = append(a.perms, binancePermission(p))
			}
			return a, nil
		},
		codeOf: func(err error) string {
			if api, ok := binance.IsAPIError(err); ok {
				return strconv.Itoa(api.Code)
			}
			return ""
		},
		codes: map[string]refusal{
			"-2008": {binance.Describe(binance.CodeBadAPIID), true, true},
			"-2014": {binance.Describe(binance.CodeKeyFormat), true, true},
			"-2015": {binance.Describe(binance.CodeRejectedKey), true, false},
			"-1022": {binance.Describe(binance.CodeBadSignature), true, false},
			"-1021": {binance.Describe(binance.CodeInvalidTimestamp), false, false},
		},
	}, {
		Name: "okx", Title: "OKX", Suffixes: []string{"OKX_API_KEY", "OKX_API_SECRET", "OKX_PASSPHRASE"},
		Policy: policy(cfg.OKX), baseURL: oc.API.BaseURL(),
		ask: func(ctx context.Context, v []string) (*answer, error) {
			c, err := oc.AccountConfig(ctx, okx.Credentials{Key: v[0], Secret: v[1], Passphrase: v[2]})
			if err != nil {
				return nil, err
			}
			a := &answer{ips: c.IPs, ipOn: len(c.IPs) > 0}
			for _, p := range c.Perm {
				a.perms = append(a.perms, named(p, map[string]Permission{
					"read_only": {"read_only", "read", ReadOnly}, "trade": {"trade", "trade", ReadWrite}, "withdraw": {"withdraw", "withdraw", ReadWrite}}))
			}
			return a, nil
		},
		codeOf: func(err error) string {
			if api, ok := okx.IsAPIError(err); ok {
				return api.Code
			}
			return ""
		},
		codes: map[string]refusal{
			okx.CodeInvalidKey:       {okx.Describe(okx.CodeInvalidKey), true, true},
			okx.CodeInvalidSign:      {okx.Describe(okx.CodeInvalidSign), true, false},
			okx.CodePassphraseWrong:  {okx.Describe(okx.CodePassphraseWrong), true, false},
			okx.CodeIPNotAllowed:     {okx.Describe(okx.CodeIPNotAllowed), true, false},
			okx.CodeTimestampExpired: {okx.Describe(okx.CodeTimestampExpired), false, false},
			okx.CodeRateLimit:        {okx.Describe(okx.CodeRateLimit), false, false},
		},
	}, {
		Name: "bybit", Title: "Bybit", Suffixes: []string{"BYBIT_API_KEY", "BYBIT_API_SECRET"},
		Policy: policy(cfg.Bybit), baseURL: yc.API.BaseURL(),
		ask: func(ctx context.Context, v []string) (*answer, error) {
			info, err := yc.QueryAPI(ctx, bybit.Credentials{Key: v[0], Secret: v[1]})
			if err != nil {
				return nil, err
			}
			a := &answer{ips: info.IPs, ipOn: len(info.IPs) > 0}
			if info.ReadOnly {
				a.perms = append(a.perms, Permission{"readOnly", "read only", ReadOnly})
			}
			for _, p := range info.Permissions {
				a.perms = append(a.perms, named(p, map[string]Permission{
					"Withdraw": {"Withdraw", "withdraw", ReadWrite}, "AccountTransfer": {"AccountTransfer", "account transfer", ReadWrite},
					"SubMemberTransfer": {"SubMemberTransfer", "sub-account transfer", ReadWrite}}))
			}
			return a, nil
		},
		codeOf: func(err error) string {
			if api, ok := bybit.IsAPIError(err); ok {
				return strconv.Itoa(api.Code)
			}
			return ""
		},
		codes: map[string]refusal{
			"10003": {bybit.Describe(bybit.CodeInvalidKey), true, true},
			"10004": {bybit.Describe(bybit.CodeSignError), true, false},
			"10010": {bybit.Describe(bybit.CodeIPNotAllowed), true, false},
			"10002": {bybit.Describe(bybit.CodeTimestamp), false, false},
			"10006": {bybit.Describe(bybit.CodeRateLimit), false, false},
		},
	}}, nil
}

func binancePermission(code string) Permission {
	return named(code, map[string]Permission{
		"read": {"read", "read", ReadOnly}, "spot-margin-trade": {"spot-margin-trade", "spot and margin trade", ReadWrite},
		"margin": {"margin", "margin", ReadWrite}, "futures": {"futures", "futures", ReadWrite}, "options": {"options", "options", ReadWrite},
		"withdraw": {"withdraw", "withdraw", ReadWrite}, "internal-transfer": {"internal-transfer", "internal transfer", ReadWrite},
		"universal-transfer": {"universal-transfer", "universal transfer", ReadWrite}})
}

var nameRE = lazyre.New(`^[A-Za-z0-9_-]{1,32}$`)

// named is a permission in words; one keygate does not know keeps its
// name (when it looks like one), "read-write".
func named(code string, known map[string]Permission) Permission {
	if p, ok := known[code]; ok {
		return p
	}
	if !nameRE.MatchString(code) {
		code = "?"
	}
	return Permission{Code: code, Meaning: code, Access: ReadWrite}
}

// KeyTarget is a bot's key at an exchange other than Bitget.
type KeyTarget struct {
	Bot      string
	Exchange *Exchange
	// Values are the key's parts, in Suffixes' order.
	Values []string
}

// Targets lists the bots of f with a variable of the exchange, in bot
// order: the whole keys as targets, the others as skipped. only, when set,
// keeps that bot alone; an error wrapping ErrNoKey when it has no
// variable of the exchange, another when its key is incomplete.
func (e *Exchange) Targets(f *envfile.File, only string) ([]KeyTarget, []Skipped, error) {
	seen := map[string]bool{}
	for _, en := range f.Entries {
		for _, s := range e.Suffixes {
			if bot, ok := strings.CutSuffix(en.Key, "_"+s); ok && botRE.MatchString(bot) {
				seen[bot] = true
			}
		}
	}
	if only != "" {
		if !seen[only] {
			return nil, nil, fmt.Errorf("%s has no %s key in %s: %w", only, e.Title, f.Name, ErrNoKey)
		}
		seen = map[string]bool{only: true}
	}
	bots := make([]string, 0, len(seen))
	for b := range seen {
		bots = append(bots, b)
	}
	sort.Slice(bots, func(i, j int) bool { return botLess(bots[i], bots[j]) })
	var targets []KeyTarget
	var skipped []Skipped
	for _, bot := range bots {
		vals := make([]string, len(e.Suffixes))
		var missing []string
		for i, s := range e.Suffixes {
			v, ok := f.Get(bot + "_" + s)
			if !ok || v == "" {
				missing = append(missing, bot+"_"+s)
			}
			vals[i] = v
		}
		if len(missing) > 0 {
			why := "missing " + strings.Join(missing, ", ")
			if only != "" {
				return nil, nil, fmt.Errorf("%s's %s key cannot be audited: %s in %s", bot, e.Title, why, f.Name)
			}
			skipped = append(skipped, Skipped{Bot: bot, Why: e.Title + " key: " + why})
			continue
		}
		targets = append(targets, KeyTarget{Bot: bot, Exchange: e, Values: vals})
	}
	return targets, skipped, nil
}

var botRE = lazyre.New(`^BOT[0-9A-Z]*$`)

// Check asks the exchange about one bot's key and judges it against the
// policy.
func (e *Exchange) Check(ctx context.Context, bot string, values []string) Result {
	res := Result{Bot: bot, Exchange: e.Name, APIKey: detector.Mask(values[0])}
	a, err := e.ask(ctx, values)
	if err != nil {
		e.refused(&res, err, values)
		return res
	}
	res.Verdict = Accepted
	res.Permissions = a.perms
	for _, ip := range a.ips {
		res.IPAllowlist = append(res.IPAllowlist, safeIP(ip))
	}
	res.IPAllowlistOn = a.ipOn
	for _, p := range res.Permissions {
		if slices.Contains(e.Policy.Forbidden, p.Code) {
			kind := ForbiddenPermission
			switch {
			case strings.EqualFold(p.Code, "withdraw"):
				kind = Withdraw
			case strings.Contains(strings.ToLower(p.Code), "transfer"):
				kind = WalletTransfer
			}
			res.Violations = append(res.Violations, Violation{Kind: kind,
				Message: fmt.Sprintf("the %s key of %s has the %s permission: create one without it", e.Title, bot, p.Meaning)})
		}
	}
	if e.Policy.RequireIPAllowlist && !res.IPAllowlistOn {
		res.Violations = append(res.Violations, Violation{Kind: NoIPAllowlist,
			Message: fmt.Sprintf("the %s key of %s has no IP allowlist: bind it to the bot host's address", e.Title, bot)})
	}
	return res
}

func (e *Exchange) refused(res *Result, err error, values []string) {
	code := e.codeOf(err)
	if code == "" {
		res.Verdict, res.Why = Unchecked, scrubValues(err.Error(), values)
		var un *apiclient.UnreachableError
		if errors.As(err, &un) && un.RateLimited() {
			res.Why = e.Title + " rate-limited every attempt (HTTP 429)"
		}
		return
	}
	res.Code = code
	r, known := e.codes[code]
	why := r.why
	if !known {
		why = e.Title + " code " + code
	}
	res.Why = why
	if !r.rejected {
		res.Verdict = Unchecked
		return
	}
	res.Verdict = Rejected
	res.Violations = append(res.Violations, Violation{Kind: KeyRejected,
		Message: fmt.Sprintf("the %s key of %s is rejected by %s: %s", e.Title, res.Bot, e.Title, why)})
}

// KeyOf returns bot's key of the exchange in f (Suffixes' order), or the
// variables missing; none present means the bot has no key there.
func (e *Exchange) KeyOf(f *envfile.File, bot string) (values, missing []string) {
	for _, s := range e.Suffixes {
		v, ok := f.Get(bot + "_" + s)
		if !ok || v == "" {
			missing = append(missing, bot+"_"+s)
		}
		values = append(values, v)
	}
	return values, missing
}

// revokedCodes are each exchange's codes that prove a key does not exist.
var revokedCodes = map[string][]string{"binance": {"-2008", "-2014"}, "okx": {okx.CodeInvalidKey}, "bybit": {"10003"}}

func scrubValues(text string, values []string) string {
	for _, v := range values {
		if len(v) >= 4 {
			text = strings.ReplaceAll(text, v, detector.Mask(v))
		}
	}
	return text
}

// AuditOthers checks every target of the other exchanges into the report
// and recomputes its status.
func (r *Report) AuditOthers(ctx context.Context, targets []KeyTarget, skipped []Skipped) {
	for _, s := range skipped {
		r.Skipped = append(r.Skipped, s)
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s is not audited: %s", s.Bot, s.Why))
	}
	for _, t := range targets {
		if r.BaseURLs == nil {
			r.BaseURLs = map[string]string{}
		}
		r.BaseURLs[t.Exchange.Name] = t.Exchange.BaseURL()
		r.Bots = append(r.Bots, t.Exchange.Check(ctx, t.Bot, t.Values))
	}
	r.Status = status(r.Bots)
}
