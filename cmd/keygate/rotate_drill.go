package main

import (
	"github.com/spf13/cobra"

	"github.com/keygate/keygate/rotate"
)

// rotateDrillOptions are the flags of `rotate drill`.
type rotateDrillOptions struct {
	Bot, Owner string
	waitOptions
}

func newRotateDrillCmd(a *app, runF func(*rotateDrillOptions) error) *cobra.Command {
	opts := &rotateDrillOptions{}
	c := &cobra.Command{
		Use:   "drill",
		Short: "Rehearse a rotation's cutover and validation with the keys unchanged; record it",
		Long: `Rehearse the cutover of a rotation without changing keys: recreate exactly the
services a rotation of the bot would, wait for fresh healthy reports, measure
the interruption against the SLO and append a record of kind drill to the
rotations record. env/.env is only read. It takes the rotation lock and
refuses while a rotation is in progress; a failed validation exits 1 with the
evidence and records nothing.`,
		Example: `  keygate rotate drill --bot BOT1 --owner alice`,
		Args:    cobra.NoArgs,
		RunE: runE(opts, runF, func(o *rotateDrillOptions) error {
			r, err := a.rotator(o.Poll)
			if err != nil {
				return err
			}
			return r.Drill(rotate.DrillInput{Bot: o.Bot, Owner: o.Owner, Timeout: o.timeout(r)})
		}),
	}
	c.Flags().StringVar(&opts.Bot, "bot", "", "the bot whose cutover is rehearsed (`BOT1`)")
	c.Flags().StringVar(&opts.Owner, "owner", "", "who runs the drill (recorded; default: rotate.owner of .keygate.yaml)")
	opts.waitOptions.flags(c)
	return c
}
