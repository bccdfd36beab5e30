package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/verifier"
)

// TextOptions shape keygate's human output.
type TextOptions struct {
	// Colour paints severities (a terminal that wants colour only).
	Colour bool
	// Quiet prints the finding lines only: no fix and allow hints, no
	// summary.
	Quiet bool
	// NoSummary leaves the summary line out: the caller prints it after
	// the warnings and errors, so a scan's reason comes before its verdict.
	NoSummary bool
}

// writeHints prints, under a finding, how to fix it (its rule's help) and
// the exact line that would suppress it: an inline keygate:allow on a
// working-tree or staged line, else the finding's baseline entry (a
// committed blob, a blocked path, a stream, a compressed or archived file
// or a binary cannot take a comment).
func writeHints(w io.Writer, f Finding) error {
	if f.Verification != nil {
		if _, err := fmt.Fprintf(w, "    verification: %s\n", Escape(verificationLine(f.Verification))); err != nil {
			return err
		}
	}
	if f.Help != "" {
		if _, err := fmt.Fprintf(w, "    fix: %s\n", Escape(f.Help)); err != nil {
			return err
		}
	}
	if f.PolicyChange() {
		_, err := fmt.Fprintf(w, "    accept (a maintainer, on purpose): rerun with --accept-policy-changes\n")
		return err
	}
	if !allowable(f) {
		if f.EnvName != nil {
			_, err := fmt.Fprintf(w, "    allow: never (a live credential: rotate it)\n")
			return err
		}
		return nil
	}
	if f.Source != scan.SourcePath && f.Commit == nil && f.Path != scan.StdinPath && !f.Derived {
		_, err := fmt.Fprintf(w, "    allow (synthetic values only): add \"keygate:allow\" to line %d of %s\n", f.Line, Escape(f.Path))
		return err
	}
	entry, err := json.Marshal(baseline.Entry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Path: f.Path, Masked: f.SecretMasked})
	if err != nil {
		return err
	}
	// JSON, as the baseline file holds it; EscapeJSON spells the controls
	// encoding/json leaves raw, so a file name cannot drive the terminal.
	_, err = fmt.Fprintf(w, "    allow (revoked or synthetic only): add to the findings of .keygate-baseline.json: %s\n", EscapeJSON(entry))
	return err
}

// liveHelp is a finding's fix when its credential is live: stop it now
// (break-glass for a bot's Bitget key), then the rule's own fix.
func liveHelp(v verifier.Verification, help string) string {
	if v.Status != verifier.Live {
		return help
	}
	now := "The credential is LIVE: revoke it at " + providerTitle(v.Provider) + " now"
	if v.Bot != "" && v.Provider == "bitget" {
		now = fmt.Sprintf("The credential is LIVE: run `keygate rotate break-glass --bot %s` now (pauses the bot, rotates to emergency keys)", v.Bot)
	} else if v.Bot != "" {
		now += " (it is " + v.Bot + "'s)"
	}
	if help == "" {
		return now + "."
	}
	return now + "; then: " + help
}

// providerTitle is a verifier's provider as people write it.
func providerTitle(name string) string {
	if t, ok := map[string]string{"bitget": "Bitget", "binance": "Binance", "okx": "OKX", "bybit": "Bybit",
		"telegram": "Telegram (@BotFather /revoke)", "slack": "Slack", "github": "GitHub"}[name]; ok {
		return t
	}
	return name
}

// verificationLine is a finding's verification in words, for text and
// Markdown ("live (withdraw enabled, no IP allowlist): ...; bot BOT1").
func verificationLine(v *verifier.Verification) string {
	s := v.Summary()
	if len(v.Permissions) > 0 {
		s += "; permissions: " + strings.Join(v.Permissions, ", ")
	}
	if v.Bot != "" {
		s += "; bot " + v.Bot
	}
	return s
}

// Plural is "1 file", "2 files": every count keygate prints goes through it.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
