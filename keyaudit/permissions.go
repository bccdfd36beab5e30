package keyaudit

import "github.com/keygate/keygate/internal/lazyre"

// Access is what a permission allows.
type Access string

// Accesses of Bitget permission codes.
const (
	ReadOnly  Access = "read"
	ReadWrite Access = "read-write"
	Unknown   Access = "unknown"
)

// Permission is one of a key's Bitget permission codes, in words.
type Permission struct {
	Code    string `json:"code"`
	Meaning string `json:"meaning"`
	Access  Access `json:"access"`
}

// permissions are Bitget's documented codes (account/info authorities).
var permissions = map[string]Permission{
	"coor": {"coor", "futures orders", ReadOnly},
	"cpor": {"cpor", "futures holdings", ReadOnly},
	"stor": {"stor", "spot trade", ReadOnly},
	"smor": {"smor", "margin trade", ReadOnly},
	"ttor": {"ttor", "copy trading", ReadOnly},
	"wtor": {"wtor", "wallet transfer", ReadOnly},
	"taxr": {"taxr", "taxation", ReadOnly},
	"chor": {"chor", "sub-accounts", ReadOnly},
	"p2pr": {"p2pr", "P2P", ReadOnly},
	"pllr": {"pllr", "pledge loan", ReadOnly},
	"coow": {"coow", "futures orders", ReadWrite},
	"cpow": {"cpow", "futures holdings", ReadWrite},
	"stow": {"stow", "spot trade", ReadWrite},
	"smow": {"smow", "margin trade", ReadWrite},
	"ttow": {"ttow", "copy trading", ReadWrite},
	"wtow": {"wtow", "wallet transfer", ReadWrite},
	"wwow": {"wwow", "withdraw", ReadWrite},
	"chow": {"chow", "sub-account management", ReadWrite},
	"p2pw": {"p2pw", "P2P", ReadWrite},
	"pllw": {"pllw", "pledge loan", ReadWrite},
	"taxw": {"taxw", "taxation", ReadWrite},
}

var codeRE = lazyre.New(`^[A-Za-z0-9]{1,16}$`)

// Describe returns a permission code in words. A code keygate does not
// know is kept (when it looks like a code) with access "unknown".
func Describe(code string) Permission {
	if p, ok := permissions[code]; ok {
		return p
	}
	if !codeRE.MatchString(code) {
		code = "?"
	}
	return Permission{Code: code, Meaning: "unknown permission " + code, Access: Unknown}
}

// Words is the permission as a reader says it: "withdraw",
// "spot trade (read)".
func (p Permission) Words() string {
	if p.Access == ReadOnly {
		return p.Meaning + " (read)"
	}
	return p.Meaning
}
