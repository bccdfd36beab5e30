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

type baselineFlags struct {
	includeLogs bool
	history     bool
	rangeSpec   string
	prune       bool
	extra       []string
}

func newBaselineCmd(a *app) *cobra.Command {
	var f baselineFlags
	cmd := &cobra.Command{
		Use:   "baseline [PATH...]",
		Short: "Accept the current findings: add their fingerprints to the baseline file",
		Long: `Scan as 'keygate scan' does and add every finding's fingerprint to the
baseline file (baseline in .keygate.yaml, default .keygate-baseline.json).
Later scans count those findings as suppressed. Fingerprints do not change
when lines move and cannot be turned back into the secret; the file holds no
values. Accepting a finding does not make the credential safe: revoke it.

Entries already in the file stay (one added by hand for a history finding,
say): the file is merged, never rewritten from this scan alone. --prune
drops the entries this scan no longer finds, and lists them. --history (and
--range BASE..HEAD) accepts the findings of the commits, as
'keygate scan --history' reports them.`,
		Example: `  keygate baseline --include-logs
  keygate baseline --history                  # accept what the history holds (revoked keys)
  keygate baseline --prune                    # drop entries that match nothing now
  git add .keygate-baseline.json`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			return a.baseline(cmd, f, paths)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.includeLogs, "include-logs", false, "also scan log_scopes")
	fl.BoolVar(&f.history, "history", false, "accept the findings of every commit reachable from all refs")
	fl.StringVar(&f.rangeSpec, "range", "", "with --history, only the commits of `BASE..HEAD`")
	fl.BoolVar(&f.prune, "prune", false, "drop (and list) entries that this scan no longer finds")
	fl.StringArrayVar(&f.extra, "rules", nil, "extra rule pack `FILE` (repeatable)")
	return cmd
}

func (a *app) baseline(cmd *cobra.Command, f baselineFlags, paths []string) error {
	if f.rangeSpec != "" {
		if err := checkRange(f.rangeSpec); err != nil {
			return flagErr(err)
		}
		f.history = true
	}
	if f.history && len(paths) > 0 {
		return flagErr(fmt.Errorf("choose PATH arguments or --history, not both"))
	}
	if err := includeLogsAlone(f.includeLogs, len(paths) > 0 || f.history); err != nil {
		return flagErr(err)
	}
	root, cfg, err := a.config()
	if err != nil {
		return err
	}
	path := rootpath.Resolve(root, cfg.Baseline)
	if err := report.CheckDestination(root, path, true); err != nil {
		return usageErr(err)
	}
	if paths, err = a.args(paths); err != nil {
		return usageErr(err)
	}
	// The file is read before the scan: a broken one is an error, never
	// replaced by this scan's entries alone.
	old, err := baseline.Load(path)
	if err != nil {
		return usageErr(err)
	}
	defer old.Close()
	req := scan.Request{Root: root, Config: cfg, Paths: paths, IncludeLogs: f.includeLogs, History: f.history}
	setup, err := engine.Load(engine.Options{Root: root, Config: cfg, ExtraRules: f.extra, NoBaseline: true})
	if err != nil {
		return usageErr(err)
	}
	if f.history {
		defer limitHistoryMemory()()
		if req.Revs, err = resolveRevs(root, scanFlags{rangeSpec: f.rangeSpec}); err != nil {
			err = scan.MaskError(setup.Detector, err)
			if f.rangeSpec != "" {
				err = fmt.Errorf("--range %s: %w", f.rangeSpec, err)
			}
			return usageErr(err)
		}
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
	merged, added, pruned, err := baseline.Merge(old, res.BaselineEntries(), f.prune)
	if err != nil {
		return usageErr(err)
	}
	old.Close() // the file is replaced next
	if err := merged.Write(path); err != nil {
		return usageErr(err)
	}
	for _, e := range pruned {
		fmt.Fprintf(a.io.out, "keygate: pruned %s:%s %s (%s): no longer found\n",
			report.Escape(e.Path), report.Escape(e.RuleID), report.Escape(e.Masked), report.Escape(e.Fingerprint))
	}
	fmt.Fprintf(a.io.out, "keygate: wrote %s to %s (%d new, %d kept, %d pruned)\n",
		report.Plural(len(merged.Entries), "fingerprint", "fingerprints"), report.Escape(path),
		len(added), len(merged.Entries)-len(added), len(pruned))
	return nil
}
