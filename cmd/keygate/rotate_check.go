package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/rotate"
)

// rotateCheckOptions are the flags of `rotate check`.
type rotateCheckOptions struct {
	Bot, Owner string
	Format     string // text or json
}

func newRotateCheckCmd(a *app, runF func(*rotateCheckOptions) error) *cobra.Command {
	opts := &rotateCheckOptions{}
	c := &cobra.Command{
		Use:   "check",
		Short: "Check, without side effects, that the runbook and break-glass would work",
		Long: `Check everything a rotation and the break-glass path need, changing nothing:
the env file (present, mode 0600, the bot's whole Bitget triple well formed),
the account map, the compose file and its services, soft_pause and
kill_switch, the state directory, no rotation half done, the age of the last
drill, a break-glass owner, and Bitget reachable and accepting the bot's key
(read-only calls). One line per check; exit 0 when all pass (warnings
included), 1 when any fails.`,
		Example: `  keygate rotate check --bot BOT1
  keygate rotate check --format json   # for the promotion job`,
		Args: cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateCheckOptions) error {
			if o.Format != "text" && o.Format != "json" {
				return usageErr(fmt.Errorf("--format %q: want text or json", o.Format))
			}
			r, err := a.rotator(0)
			if err != nil {
				return err
			}
			r.Out = a.io.err // stdout is the check's alone (JSON for a job)
			res, err := r.Check(rotate.CheckInput{Bot: o.Bot, Owner: o.Owner})
			if err != nil {
				return err
			}
			flagFixes(res)
			if o.Format == "json" {
				enc := json.NewEncoder(a.io.out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				writeCheck(a.io.out, res)
			}
			if res.Status != rotate.CheckPass {
				return &exitError{code: exitFail}
			}
			return nil
		}),
	}
	c.Flags().StringVar(&opts.Bot, "bot", "", "check this bot (`BOT1`); default: every bot with Bitget keys in the env file")
	c.Flags().StringVar(&opts.Owner, "owner", "", "the break-glass owner, when rotate.owner is not configured")
	c.Flags().StringVar(&opts.Format, "format", "text", "`text` or json")
	return c
}

// flagFixes names the flag that fixes a check, where rotate can only name
// the configuration or its own input.
func flagFixes(res *rotate.CheckResult) {
	for i, c := range res.Checks {
		if c.Status != rotate.CheckFail {
			continue
		}
		switch c.ID {
		case "owner":
			res.Checks[i].Fix += " (or pass --owner)"
		case "keys":
			res.Checks[i].Fix = "name the bot with --bot BOT1, or add its BOT1_BITGET_* variables"
		}
	}
}

var checkMarks = map[rotate.CheckStatus]string{rotate.CheckPass: "ok  ", rotate.CheckWarn: "WARN", rotate.CheckFail: "FAIL", rotate.CheckSkip: "skip"}

// writeCheck prints one line per check, the fix after an arrow, and a
// summary.
func writeCheck(w io.Writer, res *rotate.CheckResult) {
	failed, warned := 0, 0
	for _, c := range res.Checks {
		line := fmt.Sprintf("%s %s: %s", checkMarks[c.Status], c.ID, c.Message)
		if c.Fix != "" && c.Status != rotate.CheckPass {
			line += " -> " + c.Fix
		}
		fmt.Fprintln(w, line)
		switch c.Status {
		case rotate.CheckFail:
			failed++
		case rotate.CheckWarn:
			warned++
		}
	}
	if failed > 0 {
		fmt.Fprintf(w, "keygate: rotate check: fail, %d of %d checks failed\n", failed, len(res.Checks))
		return
	}
	fmt.Fprintf(w, "keygate: rotate check: pass (%d checks, %d warnings)\n", len(res.Checks), warned)
}
