package config

import (
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/yamlfile"
)

// Exchanges configures the exchanges keygate audits keys at.
type Exchanges struct {
	Bitget Bitget `yaml:"bitget"`
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
	}}
}

var permissionCodeRE = regexp.MustCompile(`^[a-z0-9]{2,8}$`)

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
	return errs
}
