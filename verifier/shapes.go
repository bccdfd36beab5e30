package verifier

import "github.com/keygate/keygate/internal/lazyre"

// shapes are each provider's documented formats of its credential's parts.
// A value of another shape is never sent: a rule pack (which a change
// under scan may bring) cannot make keygate send one provider's secret, or
// any other text, to another provider.
var shapes = map[string]map[Part]*lazyre.Regexp{
	"bitget": {
		PartKey:        lazyre.New(`^bg_[0-9a-fA-F]{32}$`),
		PartSecret:     lazyre.New(`^[0-9a-fA-F]{64}$`),
		PartPassphrase: lazyre.New(`^[!-~]{6,64}$`),
	},
	"binance": {
		PartKey:    lazyre.New(`^[A-Za-z0-9]{64}$`),
		PartSecret: lazyre.New(`^[A-Za-z0-9]{64}$`),
	},
	"okx": {
		PartKey:        lazyre.New(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
		PartSecret:     lazyre.New(`^[0-9A-F]{32}$`),
		PartPassphrase: lazyre.New(`^[!-~]{8,32}$`),
	},
	"bybit": {
		PartKey:    lazyre.New(`^[A-Za-z0-9]{18}$`),
		PartSecret: lazyre.New(`^[A-Za-z0-9]{36}$`),
	},
	"telegram": {PartToken: telegramTokenRE},
	"slack":    {PartToken: lazyre.New(`^xox[abprs]-[0-9]{6,}-[0-9A-Za-z-]{10,200}$`)},
	"github":   {PartToken: lazyre.New(`^(gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})$`)},
}

// misshapen names the first part of c that does not have its provider's
// documented shape ("" when every part does).
func misshapen(c Credential) Part {
	for part, re := range shapes[c.Provider] {
		if v, ok := c.Parts[part]; ok && !re.MatchString(v) {
			return part
		}
	}
	return ""
}
