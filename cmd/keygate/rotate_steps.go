package main

import (
	"github.com/spf13/cobra"

	"github.com/keygate/keygate/rotate"
)

// rotateStageOptions are the flags of `rotate stage`.
type rotateStageOptions struct{ keyOptions }

func newRotateStageCmd(a *app, runF func(*rotateStageOptions) error) *cobra.Command {
	opts := &rotateStageOptions{}
	c := &cobra.Command{
		Use:   "stage",
		Short: "Check and audit the new keys at Bitget, then write them into env/.env (backup kept)",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateStageOptions) error {
			return a.withKeys(o.keyOptions, 0, func(r *rotate.Rotator, in rotate.StageInput) error { return r.Stage(in) })
		}),
	}
	opts.keyOptions.flags(c)
	return c
}

// rotateCutoverOptions are the flags of `rotate cutover` (none).
type rotateCutoverOptions struct{}

func newRotateCutoverCmd(a *app, runF func(*rotateCutoverOptions) error) *cobra.Command {
	opts := &rotateCutoverOptions{}
	return &cobra.Command{
		Use:   "cutover",
		Short: "Recreate exchange-snapshot-service and the bot's service (output redacted)",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(*rotateCutoverOptions) error {
			r, err := a.rotator(0)
			if err != nil {
				return err
			}
			return r.Cutover()
		}),
	}
}

// rotateValidateOptions are the flags of `rotate validate`.
type rotateValidateOptions struct {
	waitOptions
	AutoRollback bool
}

func newRotateValidateCmd(a *app, runF func(*rotateValidateOptions) error) *cobra.Command {
	opts := &rotateValidateOptions{}
	c := &cobra.Command{
		Use:   "validate",
		Short: "Wait for healthy snapshot and reconciliation reports; measure the interruption",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateValidateOptions) error {
			r, err := a.rotator(o.Poll)
			if err != nil {
				return err
			}
			return r.Validate(o.timeout(r), o.AutoRollback)
		}),
	}
	opts.waitOptions.flags(c)
	c.Flags().BoolVar(&opts.AutoRollback, "auto-rollback", false, "roll back when validation fails")
	return c
}

// rotateFinalizeOptions are the flags of `rotate finalize`.
type rotateFinalizeOptions struct{ OldKeysRevoked bool }

func newRotateFinalizeCmd(a *app, runF func(*rotateFinalizeOptions) error) *cobra.Command {
	opts := &rotateFinalizeOptions{}
	c := &cobra.Command{
		Use:   "finalize",
		Short: "Prove at Bitget that the old key is revoked, record the rotation, run the hygiene scan",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateFinalizeOptions) error {
			r, err := a.rotator(0)
			if err != nil {
				return err
			}
			return r.Finalize(o.OldKeysRevoked)
		}),
	}
	c.Flags().BoolVar(&opts.OldKeysRevoked, "old-keys-revoked", false, "attest that the old keys are revoked, for when Bitget cannot be asked (recorded as attested)")
	return c
}

// rotateRollbackOptions are the flags of `rotate rollback`.
type rotateRollbackOptions struct{ waitOptions }

func newRotateRollbackCmd(a *app, runF func(*rotateRollbackOptions) error) *cobra.Command {
	opts := &rotateRollbackOptions{}
	c := &cobra.Command{
		Use:   "rollback",
		Short: "Restore the previous env/.env byte for byte, recreate and validate",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateRollbackOptions) error {
			r, err := a.rotator(o.Poll)
			if err != nil {
				return err
			}
			return r.Rollback(o.timeout(r))
		}),
	}
	opts.waitOptions.flags(c)
	return c
}

// rotateStatusOptions are the flags of `rotate status` (none).
type rotateStatusOptions struct{}

func newRotateStatusCmd(a *app, runF func(*rotateStatusOptions) error) *cobra.Command {
	opts := &rotateStatusOptions{}
	return &cobra.Command{
		Use:   "status",
		Short: "Show where the rotation stands (and the truth about env/.env after a crash)",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(*rotateStatusOptions) error {
			r, err := a.rotator(0)
			if err != nil {
				return err
			}
			return r.Status(a.io.out)
		}),
	}
}

// rotateRunOptions are the flags of `rotate run`.
type rotateRunOptions struct {
	keyOptions
	waitOptions
	AutoRollback bool
}

func newRotateRunCmd(a *app, runF func(*rotateRunOptions) error) *cobra.Command {
	opts := &rotateRunOptions{}
	c := &cobra.Command{
		Use:   "run",
		Short: "stage, cutover and validate in one go (finalize waits for a person)",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateRunOptions) error {
			return a.withKeys(o.keyOptions, o.Poll, func(r *rotate.Rotator, in rotate.StageInput) error {
				return r.Run(rotate.RunInput{StageInput: in, Timeout: o.timeout(r), AutoRollback: o.AutoRollback})
			})
		}),
	}
	opts.keyOptions.flags(c)
	opts.waitOptions.flags(c)
	c.Flags().BoolVar(&opts.AutoRollback, "auto-rollback", false, "roll back when validation fails")
	return c
}
