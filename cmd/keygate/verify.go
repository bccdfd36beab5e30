package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/scan"
)

func newVerifyCmd(a *app) *cobra.Command {
	var maxAge string
	var rescan bool
	cmd := &cobra.Command{
		Use:   "verify [--max-age D] [--rescan] [FILE]",
		Short: "Promotion gate: exit 0 only for a fresh latest.json that says pass for this tree",
		Long: `Check a reports/security/latest.json (FILE, or the configured report) before
a release is promoted: exit 0 only when it is a keygate report of a known
schema_version, its status is pass, it was generated no more than --max-age
ago (and not in the future), it names its rule pack, it scanned at least one
file (or commit), it left no file in scope unread (except those skip:
excuses), and its inputs digest matches what the working tree (or the
repository's commits) hold now: a file changed, added or removed since the
scan makes it stale. Recomputing the digest reads and hashes the files; it
scans nothing. --rescan also runs the scan again and compares the results.
Otherwise exit 1 with the reason; exit 2 when the file cannot be read or is
not JSON.

A report is evidence, not a signature: anyone who can write the file can
write one that passes these checks for the tree as it is. For signed
evidence of who produced it, attest the report in the release job (GitHub
artifact attestations: actions/attest-build-provenance).`,
		Example: "  keygate scan --include-logs && keygate verify --max-age 2h\n  keygate verify --rescan reports/security/latest.json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := report.ParseMaxAge(maxAge)
			if err != nil {
				return usageErr(fmt.Errorf("--max-age: %w", err))
			}
			cwd, err := a.cwd()
			if err != nil {
				return usageErr(err)
			}
			root, cfg, err := a.config()
			if err != nil {
				return err
			}
			path, name := "", ""
			if len(args) == 1 {
				path, name = rootpath.Resolve(cwd, args[0]), args[0]
			} else {
				// The configured report: what `keygate scan` wrote.
				path, name = rootpath.Resolve(root, cfg.Report), cfg.Report
			}
			v, err := report.Verify(path, d, time.Now())
			if errors.Is(err, report.ErrUnreadable) {
				return usageErr(err)
			}
			if errors.Is(err, report.ErrStale) {
				err = fmt.Errorf("%w (keygate scan --include-logs)", err)
			}
			if err != nil {
				return &exitError{code: exitFail, err: err}
			}
			in := v.Report.Inputs
			now, err := scan.Recompute(cmd.Context(), root, cfg, v.Report.Scopes, scan.Inputs{Kind: in.Kind, Paths: in.Paths, Range: in.Range, Excluded: in.Excluded})
			if err != nil {
				return &exitError{code: exitFail, err: fmt.Errorf("%s: its inputs cannot be listed again here (%v): refusing a report this tree cannot be checked against", report.Escape(name), err)}
			}
			if now != in.Digest {
				what := "the files in scope changed (content, added or removed) since the scan"
				if in.Kind == scan.InputCommits {
					what = "the commits it names changed (new commits, moved refs) since the scan"
				}
				return &exitError{code: exitFail, err: fmt.Errorf("%s: stale: %s; its inputs digest %s, now %s; scan again (keygate scan --include-logs)", report.Escape(name), what, short(in.Digest), short(now))}
			}
			if rescan {
				if err := a.rescan(cmd, v.Report); err != nil {
					return &exitError{code: exitFail, err: fmt.Errorf("%s: --rescan: %w", report.Escape(name), err)}
				}
			}
			how := "inputs digest matches this tree"
			if rescan {
				how += ", rescan agrees"
			}
			fmt.Fprintf(a.io.out, "keygate: %s passes: status pass, generated %s ago (%s), %s scanned, %s\n",
				report.Escape(name), v.Age.Round(time.Second), v.GeneratedAt.Format(time.RFC3339), report.Plural(v.Report.Summary.FilesScanned, "file", "files"), how)
			return nil
		},
	}
	cmd.Flags().StringVar(&maxAge, "max-age", "24h", "oldest report accepted (`D`: 90m, 36h, 7d)")
	cmd.Flags().BoolVar(&rescan, "rescan", false, "also run the report's scan again and compare the results")
	return cmd
}

// short is a digest's first hex digits, for messages.
func short(digest string) string {
	if len(digest) > len("sha256:")+12 {
		return digest[:len("sha256:")+12]
	}
	return digest
}

// rescan runs the scan a report records again (same mode, scopes or
// PATHs, range) into a temporary report, and compares: status, rule pack,
// inputs digest and findings must agree.
func (a *app) rescan(cmd *cobra.Command, rep *report.Report) error {
	tmp, err := os.MkdirTemp("", "keygate-rescan-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "latest.json")
	f := scanFlags{format: "json", quiet: true, failOn: "low", report: out, includeLogs: rep.IncludeLogs,
		exclude: rep.Inputs.Excluded}
	if rep.Mode == string(scan.ModeHistory) {
		f.history, f.rangeSpec = true, rep.Inputs.Range
	}
	saved := a.io
	a.io.out, a.io.err = io.Discard, io.Discard
	serr := a.scan(cmd, f, append([]string(nil), rep.Inputs.Paths...))
	a.io = saved
	data, err := os.ReadFile(out)
	if err != nil {
		return fmt.Errorf("the scan wrote no report: %v", serr)
	}
	var again report.Report
	if err := json.Unmarshal(data, &again); err != nil {
		return err
	}
	switch {
	case again.Status != rep.Status:
		return fmt.Errorf("the scan now says %s (%s), the report %s", again.Status, report.Summarize(&again), rep.Status)
	case again.RulePack.SHA256 != rep.RulePack.SHA256:
		return fmt.Errorf("the rule pack differs (%s now, %s in the report)", again.RulePack.Version, rep.RulePack.Version)
	case again.Inputs == nil || again.Inputs.Digest != rep.Inputs.Digest:
		return errors.New("the scan read different inputs")
	}
	fps := func(r *report.Report) []string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.Fingerprint)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(fps(&again), fps(rep)) {
		return errors.New("the findings differ")
	}
	return nil
}
