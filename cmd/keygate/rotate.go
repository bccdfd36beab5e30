package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/rotate"
)

// adjustRotator is nil in the release binary. Tests set it to give each
// Rotator a fake clock, or a checkpoint where the process stops to be
// killed: no test hook ships.
var adjustRotator func(*rotate.Rotator)

// rotator builds a Rotator for the repository.
func (a *app) rotator(poll time.Duration) (*rotate.Rotator, error) {
	root, cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	r := &rotate.Rotator{Root: root, Config: cfg, Out: a.io.out, PollInterval: poll, Version: version, Name: rotateFlag, Command: rotateCommand}
	if adjustRotator != nil {
		adjustRotator(r)
	}
	return r, nil
}

// rotateFlags spells rotate's inputs as the flags that give them.
var rotateFlags = map[rotate.Input]string{
	rotate.InputSkipAudit:          "--skip-audit",
	rotate.InputRevocationAttested: "--old-keys-revoked",
}

// rotateFlag is Rotator.Name: the flag of an input.
func rotateFlag(in rotate.Input) string { return rotateFlags[in] }

// rotateCommand is Rotator.Command: the command line of a step.
func rotateCommand(s rotate.Step, bot string) string {
	switch s {
	case rotate.StepAuditKeys:
		return "keygate keys audit --bot " + bot
	case rotate.StepDrill:
		return "keygate rotate drill --bot " + bot
	case rotate.StepHygieneScan:
		return "keygate scan --include-logs"
	}
	return ""
}

// rotateErrFlags turns rotate's errors, in rotate's terms, into the flags
// the CLI's user typed or can type: the flag that was missing or wrong,
// or the way out.
var rotateErrFlags = []struct {
	err  error
	flag func(error) error
}{
	{rotate.ErrNoOwner, prefix("--owner")},
	{rotate.ErrNoReason, prefix("--reason")},
	{rotate.ErrBadBot, prefix("--bot")},
	{rotate.ErrAuditUnavailable, suffix(`. If Bitget is down, stage with --skip-audit "REASON" (recorded) and run keygate keys audit later`)},
	{rotate.ErrRevocationUnproven, suffix(". Run keygate rotate finalize again when Bitget answers, or attest the revocation with --old-keys-revoked")},
}

func prefix(flag string) func(error) error {
	return func(err error) error { return fmt.Errorf("%s: %w", flag, err) }
}

func suffix(hint string) func(error) error {
	return func(err error) error { return fmt.Errorf("%w%s", err, hint) }
}

// reworded is err said in the CLI's terms; errors.Is and As still see err.
type reworded struct {
	msg string
	err error
}

func (e *reworded) Error() string { return e.msg }
func (e *reworded) Unwrap() error { return e.err }

// rotateErr names the flags in a rotation error and maps it to its exit
// code: 1 for a failed or refused step, 2 for bad input or configuration.
func rotateErr(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range rotateErrFlags {
		if errors.Is(err, m.err) {
			err = m.flag(err)
		}
	}
	var fv *rotate.ForeignVariableError
	if errors.As(err, &fv) {
		cli := fmt.Sprintf("%s is not a variable of %s: --bot %s owns %s_* only", fv.Var, fv.Bot, fv.Bot, fv.Bot)
		err = &reworded{msg: strings.Replace(err.Error(), fv.Error(), cli, 1), err: err}
	}
	var se *rotate.StepError
	if errors.As(err, &se) {
		return &exitError{code: exitFail, err: err}
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return usageErr(err)
}

// keysSource opens --keys-from: "-" is stdin; anything else a file, with a
// warning when others than its owner may read it.
func (a *app) keysSource(from string) (io.Reader, string, func(), error) {
	switch from {
	case "":
		return nil, "", nil, usageErr(errors.New("--keys-from is required: - (stdin) or a file of KEY=VALUE lines; values never go in arguments"))
	case "-":
		return a.io.in, "stdin", func() {}, nil
	}
	f, err := os.Open(from)
	if err != nil {
		return nil, "", nil, usageErr(fmt.Errorf("--keys-from: %w", err))
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		who := "its group"
		if fi.Mode().Perm()&0o007 != 0 {
			who = "every user"
		}
		fmt.Fprintf(a.io.err, "keygate: warning: --keys-from %s is readable by %s (mode %04o): chmod 600 it, and delete it once the rotation is done\n",
			from, who, fi.Mode().Perm())
	}
	return f, from, func() { f.Close() }, nil
}

// keyOptions are the flags of the commands that stage new keys.
type keyOptions struct {
	Bot, Owner, KeysFrom string
	// SkipAudit is why the new keys are not audited at Bitget (recorded).
	SkipAudit string
}

func (o *keyOptions) flags(c *cobra.Command) {
	c.Flags().StringVar(&o.Bot, "bot", "", "the bot whose keys rotate (`BOT1` owns BOT1_* variables)")
	c.Flags().StringVar(&o.Owner, "owner", "", "who performs the rotation (recorded)")
	c.Flags().StringVar(&o.KeysFrom, "keys-from", "", "new KEY=VALUE lines from `FILE`, or - for stdin")
	c.Flags().StringVar(&o.SkipAudit, "skip-audit", "", "do not audit the new keys at Bitget, for this `REASON` (an outage; recorded)")
}

// waitOptions are the flags of the commands that wait for healthy reports.
type waitOptions struct {
	Timeout time.Duration
	// TimeoutSet is whether --timeout was given; else rotate.timeout of
	// the configuration applies.
	TimeoutSet bool
	Poll       time.Duration
}

func (o *waitOptions) flags(c *cobra.Command) {
	c.Flags().DurationVar(&o.Timeout, "timeout", 5*time.Minute, "how long to wait for healthy reports (default: rotate.timeout of .keygate.yaml)")
	c.Flags().DurationVar(&o.Poll, "poll-interval", time.Second, "first wait between health checks (doubles up to 10s)")
	_ = c.Flags().MarkHidden("poll-interval")
}

func (o *waitOptions) parsed(c *cobra.Command) { o.TimeoutSet = c.Flags().Changed("timeout") }

func (o *waitOptions) timeout(r *rotate.Rotator) time.Duration {
	if o.TimeoutSet {
		return o.Timeout
	}
	return r.DefaultTimeout()
}

// runE runs a subcommand: run with the parsed options, or runF when a test
// gave one (to see what the flags parsed to), as cli/cli's commands do.
func runE[T any](opts *T, runF, run func(*T) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, _ []string) error {
		if p, ok := any(opts).(interface{ parsed(*cobra.Command) }); ok {
			p.parsed(c)
		}
		if runF != nil {
			return runF(opts)
		}
		return rotateErr(run(opts))
	}
}

// withKeys builds a Rotator, opens --keys-from and calls fn.
func (a *app) withKeys(k keyOptions, poll time.Duration, fn func(*rotate.Rotator, rotate.StageInput) error) error {
	r, err := a.rotator(poll)
	if err != nil {
		return err
	}
	keys, name, done, err := a.keysSource(k.KeysFrom)
	if err != nil {
		return err
	}
	defer done()
	return fn(r, rotate.StageInput{Bot: k.Bot, Owner: k.Owner, Keys: keys, KeysName: name, SkipAudit: k.SkipAudit})
}

func newRotateCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rotate <step>",
		Short: "Rotate a bot's exchange keys: stage, cutover, validate, finalize (or rollback)",
		Long: `Rotate a bot's Bitget keys the way the policy's runbook describes, one safe
command per step. Every step is idempotent and resumable; state (no values) is
in .keygate/rotation.json, a lock stops a second rotation, and env/.env is
rewritten atomically (mode 0600) with a backup kept until finalize or rollback.
New keys are read from stdin or a file (--keys-from), never from arguments.`,
		Example: `  # Planned rotation of BOT1 (keys from a file you delete afterwards)
  keygate rotate stage --bot BOT1 --owner alice --keys-from new-keys.env
  keygate rotate cutover
  keygate rotate validate --timeout 5m
  #   ... revoke the old keys at the exchange ...
  keygate rotate finalize          # checks that Bitget now rejects the old key

  # The same, stage to validate in one go
  keygate rotate run --bot BOT1 --owner alice --keys-from - < new-keys.env

  # Rehearse the cutover with the keys unchanged, and check readiness
  keygate rotate drill --bot BOT1 --owner alice
  keygate rotate check --bot BOT1

  # Suspected compromise
  keygate rotate break-glass --bot BOT1 --owner alice --reason "key seen in a chat log" --keys-from - < emergency.env`,
	}
	cmd.AddCommand(newRotateStageCmd(a, nil), newRotateCutoverCmd(a, nil), newRotateValidateCmd(a, nil),
		newRotateFinalizeCmd(a, nil), newRotateRollbackCmd(a, nil), newRotateStatusCmd(a, nil), newRotateRunCmd(a, nil),
		newRotateBreakGlassCmd(a, nil), newRotateDrillCmd(a, nil), newRotateCheckCmd(a, nil))
	return cmd
}
