package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/scan"
)

func newBaselineCmd(a *app) *cobra.Command {
	var includeLogs bool
	var extra []string
	cmd := &cobra.Command{
		Use:   "baseline [PATH...]",
		Short: "Accept the current findings: write their fingerprints to the baseline file",
		Long: `Scan as 'keygate scan' does and write every finding's fingerprint to the
baseline file (baseline in .keygate.yaml, default .keygate-baseline.json).
Later scans count those findings as suppressed. Fingerprints do not change
when lines move and cannot be turned back into the secret; the file holds no
values. Accepting a finding does not make the credential safe: revoke it.`,
		Example: "  keygate baseline --include-logs\n  git add .keygate-baseline.json",
		RunE: func(cmd *cobra.Command, paths []string) error {
			root, cfg, err := a.config()
			if err != nil {
				return err
			}
			path := rootpath.Resolve(root, cfg.Baseline)
			if err := report.CheckDestination(root, path, true); err != nil {
				return usageErr(err)
			}
			if err := includeLogsAlone(includeLogs, len(paths) > 0); err != nil {
				return usageErr(err)
			}
			if paths, err = a.args(paths); err != nil {
				return usageErr(err)
			}
			req := scan.Request{Root: root, Config: cfg, Paths: paths, IncludeLogs: includeLogs}
			setup, err := engine.Load(engine.Options{Root: root, Config: cfg, ExtraRules: extra, NoBaseline: true})
			if err != nil {
				return usageErr(err)
			}
			res, err := scan.Run(cmd.Context(), req, setup)
			if err != nil {
				return usageErr(err)
			}
			if len(res.Errors) > 0 {
				for _, e := range res.Errors {
					fmt.Fprintf(a.io.err, "keygate: error: %s\n", report.Escape(e))
				}
				return usageErr(fmt.Errorf("the scan was incomplete; baseline not written"))
			}
			b := baseline.New(res.BaselineEntries())
			if err := b.Write(path); err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(a.io.out, "keygate: wrote %s to %s\n", report.Plural(len(b.Entries), "fingerprint", "fingerprints"), report.Escape(path))
			return nil
		},
	}
	cmd.Flags().BoolVar(&includeLogs, "include-logs", false, "also scan log_scopes")
	cmd.Flags().StringArrayVar(&extra, "rules", nil, "extra rule pack `FILE` (repeatable)")
	return cmd
}
