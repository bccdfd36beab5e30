package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/rotate"
)

// rotator builds a Rotator for the repository. When --timeout was not
// given, rotate.timeout of the configuration applies.
func (a *app) rotator(cmd *cobra.Command, poll time.Duration, timeout *time.Duration) (*rotate.Rotator, error) {
	root, cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	r := &rotate.Rotator{Root: root, Config: cfg, Out: a.io.out, PollInterval: poll, Version: version}
	if f := cmd.Flags().Lookup("timeout"); f != nil && !f.Changed {
		*timeout = r.DefaultTimeout()
	}
	return r, nil
}

// rotateErr maps a rotation error to its exit code: 1 for a failed or
// refused step, 2 for bad input or configuration.
func rotateErr(err error) error {
	if err == nil {
		return nil
	}
	var se *rotate.StepError
	if errors.As(err, &se) {
		return &exitError{code: exitFail, err: err}
	}
	return usageErr(err)
}

// keysSource opens --keys-from: "-" is stdin; anything else a file.
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
	return f, from, func() { f.Close() }, nil
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

  # Suspected compromise
  keygate rotate break-glass --bot BOT1 --owner alice --reason "key seen in a chat log" --keys-from - < emergency.env`,
	}
	var (
		bot, owner, keysFrom, reason string
		skipAudit                    string
		timeout                      time.Duration
		poll                         time.Duration
		autoRollback, revoked        bool
	)
	// step runs fn with a Rotator; withKeys also opens --keys-from.
	step := func(fn func(r *rotate.Rotator) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			r, err := a.rotator(cmd, poll, &timeout)
			if err != nil {
				return err
			}
			return rotateErr(fn(r))
		}
	}
	withKeys := func(fn func(r *rotate.Rotator, in rotate.StageInput) error) func(*cobra.Command, []string) error {
		return step(func(r *rotate.Rotator) error {
			keys, name, done, err := a.keysSource(keysFrom)
			if err != nil {
				return err
			}
			defer done()
			return fn(r, rotate.StageInput{Bot: bot, Owner: owner, Keys: keys, KeysName: name, SkipAudit: skipAudit})
		})
	}
	stageFlags := func(c *cobra.Command) {
		c.Flags().StringVar(&bot, "bot", "", "the bot whose keys rotate (`BOT1` owns BOT1_* variables)")
		c.Flags().StringVar(&owner, "owner", "", "who performs the rotation (recorded)")
		c.Flags().StringVar(&keysFrom, "keys-from", "", "new KEY=VALUE lines from `FILE`, or - for stdin")
		c.Flags().StringVar(&skipAudit, "skip-audit", "", "do not audit the new keys at Bitget, for this `REASON` (an outage; recorded)")
	}
	waitFlags := func(c *cobra.Command) {
		c.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "how long to wait for healthy reports (default: rotate.timeout of .keygate.yaml)")
		c.Flags().DurationVar(&poll, "poll-interval", time.Second, "first wait between health checks (doubles up to 10s)")
		_ = c.Flags().MarkHidden("poll-interval")
	}
	stage := &cobra.Command{
		Use:   "stage",
		Short: "Check and audit the new keys at Bitget, then write them into env/.env (backup kept)",
		Args:  cobra.NoArgs,
		RunE:  withKeys(func(r *rotate.Rotator, in rotate.StageInput) error { return r.Stage(in) }),
	}
	stageFlags(stage)
	cutover := &cobra.Command{
		Use:   "cutover",
		Short: "Recreate exchange-snapshot-service and the bot's service (output redacted)",
		Args:  cobra.NoArgs,
		RunE:  step(func(r *rotate.Rotator) error { return r.Cutover() }),
	}
	validate := &cobra.Command{
		Use:   "validate",
		Short: "Wait for healthy snapshot and reconciliation reports; measure the interruption",
		Args:  cobra.NoArgs,
		RunE:  step(func(r *rotate.Rotator) error { return r.Validate(timeout, autoRollback) }),
	}
	waitFlags(validate)
	validate.Flags().BoolVar(&autoRollback, "auto-rollback", false, "roll back when validation fails")
	finalize := &cobra.Command{
		Use:   "finalize",
		Short: "Prove at Bitget that the old key is revoked, record the rotation, run the hygiene scan",
		Args:  cobra.NoArgs,
		RunE:  step(func(r *rotate.Rotator) error { return r.Finalize(revoked) }),
	}
	finalize.Flags().BoolVar(&revoked, "old-keys-revoked", false, "attest that the old keys are revoked, for when Bitget cannot be asked (recorded as attested)")
	rollback := &cobra.Command{
		Use:   "rollback",
		Short: "Restore the previous env/.env byte for byte, recreate and validate",
		Args:  cobra.NoArgs,
		RunE:  step(func(r *rotate.Rotator) error { return r.Rollback(timeout) }),
	}
	waitFlags(rollback)
	status := &cobra.Command{
		Use:   "status",
		Short: "Show where the rotation stands (and the truth about env/.env after a crash)",
		Args:  cobra.NoArgs,
		RunE:  step(func(r *rotate.Rotator) error { return r.Status(a.io.out) }),
	}
	runCmd := &cobra.Command{
		Use:   "run",
		Short: "stage, cutover and validate in one go (finalize waits for a person)",
		Args:  cobra.NoArgs,
		RunE: withKeys(func(r *rotate.Rotator, in rotate.StageInput) error {
			return r.Run(rotate.RunInput{StageInput: in, Timeout: timeout, AutoRollback: autoRollback})
		}),
	}
	stageFlags(runCmd)
	waitFlags(runCmd)
	runCmd.Flags().BoolVar(&autoRollback, "auto-rollback", false, "roll back when validation fails")
	breakGlass := &cobra.Command{
		Use:   "break-glass",
		Short: "Emergency: pause the bot, rotate to emergency keys, write an incident note",
		Args:  cobra.NoArgs,
		RunE: withKeys(func(r *rotate.Rotator, in rotate.StageInput) error {
			return r.BreakGlass(rotate.BreakGlassInput{Reason: reason,
				RunInput: rotate.RunInput{StageInput: in, Timeout: timeout, AutoRollback: autoRollback}})
		}),
	}
	stageFlags(breakGlass)
	waitFlags(breakGlass)
	breakGlass.Flags().StringVar(&reason, "reason", "", "why (suspected compromise, unauthorized activity); goes into the incident note, redacted")
	breakGlass.Flags().BoolVar(&autoRollback, "auto-rollback", false, "roll back when validation fails")
	cmd.AddCommand(stage, cutover, validate, finalize, rollback, status, runCmd, breakGlass)
	return cmd
}
