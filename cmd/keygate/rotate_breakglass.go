package main

import (
	"github.com/spf13/cobra"

	"github.com/keygate/keygate/rotate"
)

// rotateBreakGlassOptions are the flags of `rotate break-glass`.
type rotateBreakGlassOptions struct {
	keyOptions
	waitOptions
	AutoRollback bool
	Reason       string
}

func newRotateBreakGlassCmd(a *app, runF func(*rotateBreakGlassOptions) error) *cobra.Command {
	opts := &rotateBreakGlassOptions{}
	c := &cobra.Command{
		Use:   "break-glass",
		Short: "Emergency: pause the bot, rotate to emergency keys, write an incident note",
		Args:  cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateBreakGlassOptions) error {
			return a.withKeys(o.keyOptions, o.Poll, func(r *rotate.Rotator, in rotate.StageInput) error {
				return r.BreakGlass(rotate.BreakGlassInput{Reason: o.Reason,
					RunInput: rotate.RunInput{StageInput: in, Timeout: o.timeout(r), AutoRollback: o.AutoRollback}})
			})
		}),
	}
	opts.keyOptions.flags(c)
	opts.waitOptions.flags(c)
	c.Flags().StringVar(&opts.Reason, "reason", "", "why (suspected compromise, unauthorized activity); goes into the incident note, redacted")
	c.Flags().BoolVar(&opts.AutoRollback, "auto-rollback", false, "roll back when validation fails")
	return c
}
