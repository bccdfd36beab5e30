package rotate

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/glob"
	"github.com/keygate/keygate/internal/lazyre"
)

var (
	botRE        = lazyre.New(`^BOT[0-9A-Z]*$`)
	bitgetKeyRE  = lazyre.New(`^bg_[0-9a-f]{32}$`)
	bitgetSecRE  = lazyre.New(`^[0-9a-f]{64}$`)
	triple       = []string{"BITGET_API_KEY", "BITGET_API_SECRET", "BITGET_PASSPHRASE"}
	maxKeysBytes = int64(1 << 20)
)

// NormalizeBot checks a bot prefix (BOT1, bot4) and returns it upper-case.
func NormalizeBot(bot string) (string, error) {
	b := strings.ToUpper(strings.TrimSpace(bot))
	if !botRE.MatchString(b) {
		return "", fmt.Errorf("%w %q: want a bot prefix such as BOT1", ErrBadBot, bot)
	}
	return b, nil
}

// readKeys parses KEY=VALUE lines (an env file's syntax) from r. Values
// come only from stdin or a file, never argv, where ps and shell history
// would show them.
func readKeys(r io.Reader, name string) (*envfile.File, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxKeysBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read new keys from %s: %w", name, err)
	}
	if int64(len(data)) > maxKeysBytes {
		return nil, fmt.Errorf("new keys from %s: more than 1 MiB: not a key file", name)
	}
	f, err := envfile.Parse(name, data)
	if err != nil {
		return nil, err
	}
	if len(f.Entries) == 0 {
		return nil, fmt.Errorf("new keys from %s: no KEY=VALUE lines", name)
	}
	return f, nil
}

// checkKeys enforces what a new key set must be: only the bot's variables,
// its whole Bitget triple, plausible formats, values that differ from the
// old ones. Errors name variables, never values.
func checkKeys(bot string, keys *envfile.File, old *envfile.File, secretEnv []string) error {
	have := map[string]bool{}
	for _, e := range keys.Entries {
		if !strings.HasPrefix(e.Key, bot+"_") {
			return &ForeignVariableError{Var: e.Key, Bot: bot}
		}
		if !glob.Any(secretEnv, e.Key) {
			return fmt.Errorf("%s is not a credential of the inventory (secret_env)", e.Key)
		}
		have[e.Key] = true
		if err := checkFormat(bot, e.Key, e.Value); err != nil {
			return err
		}
		if prev, ok := old.Get(e.Key); ok && prev == e.Value {
			return fmt.Errorf("%s is the same as the current value: a rotation needs new keys", e.Key)
		}
	}
	var missing []string
	for _, t := range triple {
		if !have[bot+"_"+t] {
			missing = append(missing, bot+"_"+t)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("missing %s: a Bitget key is rotated as a whole (key, secret, passphrase)", strings.Join(missing, ", "))
	}
	// A key of another exchange rotated with it is rotated whole too.
	for _, ex := range otherExchanges {
		var have, lack []string
		for _, s := range ex.suffixes {
			if _, ok := keys.Get(bot + "_" + s); ok {
				have = append(have, bot+"_"+s)
			} else {
				lack = append(lack, bot+"_"+s)
			}
		}
		if len(have) > 0 && len(lack) > 0 {
			return fmt.Errorf("missing %s: a %s key is rotated as a whole", strings.Join(lack, ", "), ex.title)
		}
	}
	return nil
}

// otherExchanges are the exchanges besides Bitget whose keys a rotation
// may carry, with their variables after BOTn_.
var otherExchanges = []struct {
	title    string
	suffixes []string
}{
	{"Binance", []string{"BINANCE_API_KEY", "BINANCE_API_SECRET"}},
	{"OKX", []string{"OKX_API_KEY", "OKX_API_SECRET", "OKX_PASSPHRASE"}},
	{"Bybit", []string{"BYBIT_API_KEY", "BYBIT_API_SECRET"}},
}

// checkFormat checks one credential value of bot: not empty, the Bitget
// key and secret formats, and long enough for keygate to search for its
// copies. Errors name the variable, never the value.
func checkFormat(bot, key, value string) error {
	if value == "" {
		return fmt.Errorf("%s is empty", key)
	}
	switch strings.TrimPrefix(key, bot+"_") {
	case "BITGET_API_KEY":
		if !bitgetKeyRE.MatchString(value) {
			return fmt.Errorf("%s does not look like a Bitget API key (bg_ and 32 hex digits)", key)
		}
	case "BITGET_API_SECRET":
		if !bitgetSecRE.MatchString(value) {
			return fmt.Errorf("%s does not look like a Bitget API secret (64 hex digits)", key)
		}
	}
	if len(value) < detector.MinKnownValueLen {
		return fmt.Errorf("%s is shorter than %d characters: keygate does not search for values that short (they would match everywhere), so a leaked copy would go unnoticed; choose a longer one",
			key, detector.MinKnownValueLen)
	}
	return nil
}

// checkAccountMap checks that the account map (at path, called name in
// errors) is valid JSON and maps bot:
// as a key anywhere in it, or as the value of a "bot", "prefix" or
// "key_prefix" field.
func checkAccountMap(path, name, bot string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("account map: %w", err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("account map %s is not valid JSON: %v", name, err)
	}
	if !mapsBot(doc, bot) {
		return fmt.Errorf("account map %s does not map %s: add it before rotating its keys", name, bot)
	}
	return nil
}

func mapsBot(v any, bot string) bool {
	switch t := v.(type) {
	case map[string]any:
		for k, sub := range t {
			if strings.EqualFold(k, bot) {
				return true
			}
			if s, ok := sub.(string); ok && (k == "bot" || k == "prefix" || k == "key_prefix") && strings.EqualFold(s, bot) {
				return true
			}
			if mapsBot(sub, bot) {
				return true
			}
		}
	case []any:
		for _, sub := range t {
			if mapsBot(sub, bot) {
				return true
			}
		}
	}
	return false
}
