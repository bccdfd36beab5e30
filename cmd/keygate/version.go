package main

import (
	"fmt"

	"github.com/spf13/cobra"

	buildversion "github.com/keygate/keygate/internal/version"
)

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print keygate's version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(a.io.out, buildversion.Get().String())
			return err
		},
	}
}
