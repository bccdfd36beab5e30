package report

import (
	"strings"

	"github.com/keygate/keygate/internal/lazyre"
	"github.com/keygate/keygate/scan"
)

// botBitgetRE names the bot whose Bitget keys a variable holds
// (BOT1 for BOT1_BITGET_API_SECRET), the unit `keygate rotate` works on.
var botBitgetRE = lazyre.New(`^(BOT[0-9A-Z]*)_BITGET_(?:API_KEY|API_SECRET|PASSPHRASE)$`)

// fixText is a finding's fix line: its rule's help made exact where the
// finding knows more, or, for a live value (the env file's own value, by
// whichever rule found it), the rotation it needs. The words stay those
// of the rule: the bot replaces BOTn, and a staged finding is removed
// from the commit, not from history it has not reached.
func fixText(f Finding, mode scan.Mode, help string) string {
	bot := ""
	if f.EnvName != nil {
		if m := botBitgetRE.FindStringSubmatch(*f.EnvName); m != nil {
			bot = m[1]
		}
	}
	where := "from the file"
	switch mode {
	case scan.ModeStaged:
		where = "from the commit (edit the file, then git add it)"
	case scan.ModeHistory:
		where = "from the file (the history keeps it: rotating is what makes it harmless)"
	}
	if f.EnvName != nil {
		// A live credential: it is in use now, so it is rotated, never
		// allowed; the rule's own words may say "revoke" or "allow".
		name := *f.EnvName
		if bot != "" {
			return "This is the live value of " + name + " (the env file): rotate " + bot + "'s Bitget keys now: `" +
				RotateCommand(bot) + "` (new keys from Bitget's API management), then remove it " + where + "."
		}
		return "This is the live value of " + name + " (the env file): change it where it is issued, update the env file, restart what uses it, then remove it " + where + "."
	}
	if bot != "" {
		help = strings.ReplaceAll(help, "--bot BOTn", "--bot "+bot)
	}
	if mode == scan.ModeStaged {
		help = strings.ReplaceAll(help, "from the file and from git history", "from the file and from the commit")
		help = strings.ReplaceAll(help, "from git history", "from the commit")
	}
	return help
}

// RotateCommand is the command that rotates bot's Bitget keys end to end.
func RotateCommand(bot string) string {
	return "keygate rotate run --bot " + bot + " --owner YOUR_NAME --keys-from new-keys.env"
}

// allowable reports whether a finding may be suppressed at all: never a
// live value (it must be rotated) nor a blocked file (it must never be
// committed, whatever it holds).
func allowable(f Finding) bool {
	return f.EnvName == nil && !f.BlockedPath()
}
