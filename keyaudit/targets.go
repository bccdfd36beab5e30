package keyaudit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/lazyre"
)

// Triple are the suffixes of a bot's Bitget variables (BOT1_BITGET_API_KEY).
var Triple = []string{"BITGET_API_KEY", "BITGET_API_SECRET", "BITGET_PASSPHRASE"}

var tripleRE = lazyre.New(`^(BOT[0-9A-Z]*)_(BITGET_API_KEY|BITGET_API_SECRET|BITGET_PASSPHRASE)$`)

// Target is a bot and its key, read from an env file.
type Target struct {
	Bot   string
	Creds bitget.Credentials
}

// Skipped is a bot with part of a Bitget triple: it cannot be audited.
type Skipped struct {
	Bot string `json:"bot"`
	Why string `json:"why"`
}

// TripleOf returns bot's Bitget key from f, or which variables are missing.
func TripleOf(f *envfile.File, bot string) (bitget.Credentials, []string) {
	var vals [3]string
	var missing []string
	for i, suffix := range Triple {
		v, ok := f.Get(bot + "_" + suffix)
		if !ok || v == "" {
			missing = append(missing, bot+"_"+suffix)
		}
		vals[i] = v
	}
	return bitget.Credentials{Key: vals[0], Secret: vals[1], Passphrase: vals[2]}, missing
}

// Targets lists the bots of f with a Bitget variable, in bot order (BOT2
// before BOT10): those with the whole triple as targets, the others as
// skipped. only, when set, keeps that bot alone and is an error when it
// has no whole triple.
func Targets(f *envfile.File, only string) ([]Target, []Skipped, error) {
	seen := map[string]bool{}
	for _, e := range f.Entries {
		if m := tripleRE.FindStringSubmatch(e.Key); m != nil {
			seen[m[1]] = true
		}
	}
	if only != "" {
		if !seen[only] {
			return nil, nil, fmt.Errorf("%s has no Bitget key in %s: %w", only, f.Name, ErrNoKey)
		}
		seen = map[string]bool{only: true}
	}
	bots := make([]string, 0, len(seen))
	for b := range seen {
		bots = append(bots, b)
	}
	sort.Slice(bots, func(i, j int) bool { return botLess(bots[i], bots[j]) })
	var targets []Target
	var skipped []Skipped
	for _, bot := range bots {
		creds, missing := TripleOf(f, bot)
		if len(missing) > 0 {
			why := "missing " + strings.Join(missing, ", ")
			if only != "" {
				return nil, nil, fmt.Errorf("%s cannot be audited: %s in %s", bot, why, f.Name)
			}
			skipped = append(skipped, Skipped{Bot: bot, Why: why})
			continue
		}
		targets = append(targets, Target{Bot: bot, Creds: creds})
	}
	return targets, skipped, nil
}

// botLess orders BOT2 before BOT10.
func botLess(a, b string) bool {
	na, ea := strconv.Atoi(strings.TrimPrefix(a, "BOT"))
	nb, eb := strconv.Atoi(strings.TrimPrefix(b, "BOT"))
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	return a < b
}
