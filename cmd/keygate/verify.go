package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/report"
)

func newVerifyCmd(a *app) *cobra.Command {
	var maxAge string
	cmd := &cobra.Command{
		Use:   "verify [--max-age D] FILE",
		Short: "Promotion gate: exit 0 only for a fresh latest.json that says pass",
		Long: `Check a reports/security/latest.json before a release is promoted: exit 0
only when it is a keygate report of a known schema_version, its status is
pass, and it was generated no more than --max-age ago (and not in the
future). Otherwise exit 1 with the reason; exit 2 when the file cannot be
read or is not JSON.`,
		Example: "  keygate scan --include-logs && keygate verify --max-age 2h reports/security/latest.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := report.ParseMaxAge(maxAge)
			if err != nil {
				return usageErr(fmt.Errorf("--max-age: %w", err))
			}
			cwd, err := a.cwd()
			if err != nil {
				return usageErr(err)
			}
			v, err := report.Verify(rootpath.Resolve(cwd, args[0]), d, time.Now())
			if errors.Is(err, report.ErrUnreadable) {
				return usageErr(err)
			}
			if errors.Is(err, report.ErrStale) {
				err = fmt.Errorf("%w (keygate scan --include-logs)", err)
			}
			if err != nil {
				return &exitError{code: exitFail, err: err}
			}
			fmt.Fprintf(a.io.out, "keygate: %s passes: status pass, generated %s ago (%s), %s scanned\n",
				report.Escape(args[0]), v.Age.Round(time.Second), v.GeneratedAt.Format(time.RFC3339), report.Plural(v.Report.Summary.FilesScanned, "file", "files"))
			return nil
		},
	}
	cmd.Flags().StringVar(&maxAge, "max-age", "24h", "oldest report accepted (`D`: 90m, 36h, 7d)")
	return cmd
}
