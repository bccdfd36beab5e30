package config

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/internal/lazyre"
	"github.com/keygate/keygate/internal/yamlfile"
	"github.com/keygate/keygate/okx"
)

// Exchanges configures the exchanges keygate audits keys at.
type Exchanges struct {
	Bitget Bitget `yaml:"bitget"`
	// Binance, OKX and Bybit configure the audits of bots' keys at those
	// exchanges (BOTn_BINANCE_API_KEY, ...).
	Binance Exchange `yaml:"binance"`
	OKX     Exchange `yaml:"okx"`
	Bybit   Exchange `yaml:"bybit"`
}

// Exchange configures `keygate keys audit` for Binance, OKX or Bybit keys.
type Exchange struct {
	// BaseURL is the REST API's base; $KEYGATE_<NAME>_BASE_URL overrides it
	// (a testnet).
	BaseURL string `yaml:"base_url"`
	// ForbiddenPermissions are the exchange's permissions a bot's key must
	// not have (Binance: withdraw, internal-transfer, universal-transfer;
	// OKX: withdraw; Bybit: Withdraw, AccountTransfer, SubMemberTransfer).
	ForbiddenPermissions []string `yaml:"forbidden_permissions"`
	// RequireIPAllowlist makes a key without an IP allowlist a violation.
	RequireIPAllowlist bool `yaml:"require_ip_allowlist"`
	// Attempts is how many times a request is tried when the exchange
	// cannot be reached or answers 429 or 5xx (1: no retry).
	Attempts int `yaml:"attempts"`
}

// Bitget configures `keygate keys audit` and the audits of `rotate`.
type Bitget struct {
	// BaseURL is the REST API's base; $KEYGATE_BITGET_BASE_URL overrides it.
	BaseURL string `yaml:"base_url"`
	// ForbiddenPermissions are permission codes a bot's key must not have.
	ForbiddenPermissions []string `yaml:"forbidden_permissions"`
	// RequireIPAllowlist makes a key without an IP allowlist a violation.
	RequireIPAllowlist bool `yaml:"require_ip_allowlist"`
	// Attempts is how many times a request is tried when Bitget cannot be
	// reached or answers 429 or 5xx (1: no retry), with back-off between.
	Attempts int `yaml:"attempts"`
}

// DefaultExchanges is the policy's least privilege: no withdraw (wwow),
// no wallet transfer (wtow), no sub-account management (chow), and an IP
// allowlist on every key.
func DefaultExchanges() Exchanges {
	return Exchanges{Bitget: Bitget{
		BaseURL:              bitget.DefaultBaseURL,
		ForbiddenPermissions: []string{"wwow", "wtow", "chow"},
		RequireIPAllowlist:   true,
		Attempts:             bitget.DefaultAttempts,
	},
		Binance: Exchange{BaseURL: binance.DefaultBaseURL, ForbiddenPermissions: []string{"withdraw", "internal-transfer", "universal-transfer"}, RequireIPAllowlist: true, Attempts: 3},
		OKX:     Exchange{BaseURL: okx.DefaultBaseURL, ForbiddenPermissions: []string{"withdraw"}, RequireIPAllowlist: true, Attempts: 3},
		Bybit:   Exchange{BaseURL: bybit.DefaultBaseURL, ForbiddenPermissions: []string{"Withdraw", "AccountTransfer", "SubMemberTransfer"}, RequireIPAllowlist: true, Attempts: 3},
	}
}

var permissionCodeRE = lazyre.New(`^[a-z0-9]{2,8}$`)

func (e Exchanges) validate(file string, doc *yaml.Node) []error {
	var errs []error
	if _, err := bitget.ParseBaseURL(e.Bitget.BaseURL); err != nil {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "exchanges", "bitget", "base_url"), Msg: "exchanges.bitget.base_url: " + err.Error()})
	}
	if e.Bitget.Attempts < 1 || e.Bitget.Attempts > 10 {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "exchanges", "bitget", "attempts"), Msg: "exchanges.bitget.attempts: want 1 to 10"})
	}
	for i, p := range e.Bitget.ForbiddenPermissions {
		if !permissionCodeRE.MatchString(p) {
			errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "exchanges", "bitget", "forbidden_permissions", i),
				Msg: fmt.Sprintf("exchanges.bitget.forbidden_permissions[%d]: not a Bitget permission code such as wwow (the value is not shown)", i)})
		}
	}
	for _, ex := range []struct {
		name string
		e    Exchange
	}{{"binance", e.Binance}, {"okx", e.OKX}, {"bybit", e.Bybit}} {
		errs = append(errs, ex.e.validate(file, doc, ex.name)...)
	}
	return errs
}

var exchangePermissionRE = lazyre.New(`^[A-Za-z0-9_-]{2,32}$`)

func (e Exchange) validate(file string, doc *yaml.Node, name string) []error {
	var errs []error
	key := "exchanges." + name
	if _, err := apiclient.ParseBaseURL(e.BaseURL); err != nil {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "exchanges", name, "base_url"), Msg: key + ".base_url: " + err.Error()})
	}
	if e.Attempts < 1 || e.Attempts > 10 {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "exchanges", name, "attempts"), Msg: key + ".attempts: want 1 to 10"})
	}
	for i, p := range e.ForbiddenPermissions {
		if !exchangePermissionRE.MatchString(p) {
			errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "exchanges", name, "forbidden_permissions", i),
				Msg: fmt.Sprintf("%s.forbidden_permissions[%d]: not a permission name such as withdraw (the value is not shown)", key, i)})
		}
	}
	return errs
}
