package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/sarif"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/source"
	"github.com/keygate/keygate/trust"
)

type scanFlags struct {
	includeLogs bool
	stdin       bool
	staged      bool
	history     bool
	rangeSpec   string
	envFile     string
	noEnvFile   bool
	rules       []string
	report      string
	sarif       string
	junit       string
	summary     string
	format      string
	quiet       bool
	failOn      string
	// revs, when set, says which commits a history scan reads (a hook's
	// ref updates); else --range, else every ref.
	revs       func(*source.Repo) (source.Revs, error)
	verify     bool
	accept     bool
	allowEmpty bool
	// exclude are more paths left out of the inputs digest (verify
	// --rescan: the report being checked).
	exclude []string
	// policyBase, when set with revs, names the commit whose policy
	// judges them (a push hook's); ok false: the local policy.
	policyBase func(*source.Repo, source.Revs) (base source.ObjectID, ok bool, err error)
}

func newScanCmd(a *app) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Find credentials in the configured scopes, given paths, or stdin",
		Long: `Scan the configured scopes (docs/**, reports/** by default; data/*/logs/**
too with --include-logs) or the given PATHs for credentials, and write the
reports/security/latest.json contract.

Scopes are scanned whether or not git ignores them. Compressed files and
archives (gzip, bzip2, xz, zstd, zip, tar) are read inside, UTF-16 as text,
and binaries by their printable runs; files of any size are streamed in
bounded memory. Findings show the masked value only (****ABCD).

Suppress a known finding with "keygate:allow" (or "gitleaks:allow", or
"pragma: allowlist secret") on its line, a glob in
allow_paths of .keygate.yaml, the baseline file ('keygate baseline'), or an
entry of .gitleaksignore (path:rule:line or commit:path:rule:line). Each
finding's text output shows its fix and the exact line that suppresses it;
every suppressed finding is listed, with its mechanism.

A range (--range BASE..HEAD) is judged by BASE's policy: its .keygate.yaml,
rule packs, baseline and .gitleaksignore, and only the allow comments BASE
already held on the same line. Each suppression the range adds is a finding
(suppression-added-*) until a maintainer accepts it with
--accept-policy-changes.

Every file in scope that is not read is listed with the reason. In the
hygiene scan (the configured scopes) such a file is an error unless
.keygate.yaml names it under skip: with a reason; a symlink out of the
repository is followed only when follow_symlinks: names it. A configured
scope that matches no file is an error naming its line. A scan of no file,
or a history of no commit (an empty repository, a reversed range), is an
error unless --allow-empty is given.`,
		Example: `  # The policy's pre-release hygiene check (writes reports/security/latest.json)
  keygate scan --include-logs

  # Just these files or folders
  keygate scan docs/incidents/ notes.md

  # A stream, with machine-readable output
  journalctl -u bot1 | keygate scan --stdin --format json

  # The pre-commit gate: what this commit adds, and blocked paths (env/.env)
  keygate scan --staged

  # Every blob in the history once; or only a pull request's commits
  keygate scan --history
  keygate scan --history --range origin/main..HEAD`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			return a.scan(cmd, f, paths)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.includeLogs, "include-logs", false, "also scan log_scopes (data/*/logs/**)")
	fl.BoolVar(&f.stdin, "stdin", false, "scan standard input as one stream")
	fl.BoolVar(&f.staged, "staged", false, "scan the git index: the lines this commit adds, and blocked paths")
	fl.BoolVar(&f.history, "history", false, "scan every blob reachable from all refs, each once")
	fl.StringVar(&f.rangeSpec, "range", "", "with --history, only the commits of `BASE..HEAD`")
	fl.StringVar(&f.envFile, "env-file", "", "read active credential values from `FILE` (default: env_file when it exists)")
	fl.BoolVar(&f.noEnvFile, "no-env-file", false, "do not read active credential values")
	fl.StringArrayVar(&f.rules, "rules", nil, "extra rule pack `FILE` merged over the default (repeatable)")
	fl.StringVar(&f.report, "report", "", "write latest.json to `FILE` (default: report from config for the configured scopes; PATH and other modes write none unless given)")
	fl.StringVar(&f.sarif, "sarif", "", "also write SARIF 2.1.0 for code scanning to `FILE`")
	fl.StringVar(&f.junit, "junit", "", "also write JUnit XML (one testcase per finding) to `FILE`")
	fl.StringVar(&f.summary, "summary", "", "also write the Markdown summary to `FILE` (a CI job summary)")
	fl.StringVar(&f.format, "format", "text", "stdout format: text, json, markdown, junit or github (workflow-command annotations, at most 50)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print findings and errors only: no progress, hints, summary or warnings")
	fl.BoolVar(&f.verify, "verify", false, "ask each complete credential's provider whether it is live (one read-only signed call each; see README): never in the commit gate")
	fl.BoolVar(&f.accept, "accept-policy-changes", false, "with --range, accept the suppressions the range adds (judged by the head's policy; what it suppresses is listed): for a maintainer, never set from the change itself")
	fl.BoolVar(&f.allowEmpty, "allow-empty", false, "accept a scan that reads no file (or, with --history, no commit) as a pass instead of an error")
	fl.StringVar(&f.failOn, "fail-on", "low", "exit 1 only for findings of `SEVERITY` or above (low, medium, high, critical); the report keeps them all")
	return cmd
}

func (a *app) scan(cmd *cobra.Command, f scanFlags, paths []string) error {
	switch f.format {
	case "text", "json", "markdown", "junit", "github":
	default:
		return flagErr(fmt.Errorf("--format %q: want text, json, markdown, junit or github", f.format))
	}
	if f.rangeSpec != "" {
		if err := checkRange(f.rangeSpec); err != nil {
			return flagErr(err)
		}
		f.history = true
	}
	modes := 0
	for _, on := range []bool{f.stdin, f.staged, f.history, len(paths) > 0} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return flagErr(fmt.Errorf("choose one of PATH arguments, --stdin, --staged and --history"))
	}
	if err := includeLogsAlone(f.includeLogs, modes > 0); err != nil {
		return flagErr(err)
	}
	failOn, err := report.ParseSeverity(f.failOn)
	if err != nil {
		return flagErr(fmt.Errorf("--fail-on: %w", err))
	}
	if f.verify && f.staged {
		return flagErr(fmt.Errorf("--verify sends found credentials to their providers: it is not for the commit gate (--staged); verify with a path or history scan"))
	}
	if f.accept && f.rangeSpec == "" {
		return flagErr(fmt.Errorf("--accept-policy-changes applies to a range scan (--range BASE..HEAD)"))
	}
	if f.envFile != "" && f.noEnvFile {
		return flagErr(fmt.Errorf("--env-file and --no-env-file contradict each other"))
	}
	root, cfg, err := a.config()
	if err != nil {
		return err
	}
	cwd, err := a.cwd()
	if err != nil {
		return usageErr(err)
	}
	if paths, err = a.args(paths); err != nil {
		return usageErr(err)
	}
	if len(paths) == 0 && !f.stdin && !f.staged && !f.history && source.IsBare(root) {
		return usageErr(fmt.Errorf("%s is a bare repository (a mirror): it has no working files to scan; scan its commits with --history", root))
	}
	if f.history {
		defer limitHistoryMemory()()
	}
	req := scan.Request{Root: root, Config: cfg, Paths: paths, IncludeLogs: f.includeLogs,
		Staged: f.staged, History: f.history, RangeSpec: f.rangeSpec,
		// A hook's ref updates that add no commit (a deletion, a tag of an
		// old commit) have nothing to scan.
		AllowEmpty: f.allowEmpty || f.revs != nil}
	eopts := engine.Options{Root: root, Config: cfg, ExtraRules: f.rules, NoEnvFile: f.noEnvFile}
	if f.staged {
		// The object store opens, and checks its pack indexes, while the
		// engine loads; a repository that will not open is the scan's
		// error, as without this.
		if repo, err := source.OpenRepo(root); err == nil {
			repo.MaxObject = int64(cfg.MaxObjectMB) << 20
			repo.Prepare()
			req.Repo = repo
		}
		// git names the index it commits from to hooks; a relative name
		// starts where git started the hook, the process's directory,
		// whatever -C says.
		if idx := os.Getenv("GIT_INDEX_FILE"); idx != "" {
			if req.IndexFile, err = filepath.Abs(idx); err != nil {
				return usageErr(fmt.Errorf("GIT_INDEX_FILE %s: %w", idx, err))
			}
		}
	}
	var prog *progress
	if showProgress(a.io.err, f.quiet) {
		prog = newProgress(a.io.err)
		req.Progress = prog.update
	}
	defer prog.stop()
	if f.envFile != "" {
		eopts.EnvFile = rootpath.Resolve(root, f.envFile)
	}
	if f.stdin {
		req.Stdin = a.io.in
	}
	// Only the hygiene check (the configured scopes) writes the contract by
	// default: a pre-commit run must not rewrite a tracked report on every
	// commit, nor a one-off `keygate scan FILE` drop one in the folder.
	reportPath := f.report
	if reportPath == "" && req.Mode() == scan.ModePaths && len(paths) == 0 {
		reportPath = cfg.Report
	}
	if reportPath != "" {
		reportPath = rootpath.Resolve(root, reportPath)
		if err := report.CheckDestination(root, reportPath, f.report == ""); err != nil {
			if errors.Is(err, report.ErrConfiguredOutside) {
				err = fmt.Errorf("%w; give --report or --sarif to write elsewhere", err)
			}
			return usageErr(err)
		}
	}
	sarifPath := ""
	if f.sarif != "" {
		sarifPath = rootpath.Resolve(cwd, f.sarif)
		if err := report.CheckDestination(root, sarifPath, false); err != nil {
			return usageErr(err)
		}
	}
	// What this run writes inside the repository is not part of what it
	// read: the inputs digest leaves it out.
	req.Outputs = append(req.Outputs, f.exclude...)
	for _, p := range []string{reportPath, sarifPath, rootpath.Resolve(cwd, f.junit), rootpath.Resolve(cwd, f.summary)} {
		if p == "" || p == cwd {
			continue
		}
		if rel, err := filepath.Rel(root, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			req.Outputs = append(req.Outputs, filepath.ToSlash(rel))
		}
	}

	start := time.Now()
	var setup *engine.Engine
	var rng *trust.Range
	if f.rangeSpec != "" && f.revs == nil {
		// A range judges someone else's change: the base's policy
		// decides, so the working tree's is never loaded.
		setup, rng, err = rangeEngine(root, f, &req, &eopts)
	} else if f.policyBase != nil {
		// A push is judged by the policy of what it lands on.
		setup, err = pushEngine(root, f, &req, &eopts)
	} else {
		setup, err = engine.Load(eopts)
		if err == nil && f.history {
			req.Revs, err = resolveRevs(root, f)
			err = scan.MaskError(setup.Detector, err)
		}
	}
	var res *scan.Result
	if err == nil && f.verify {
		req.Verify, err = newVerifyStage(setup, req.Config)
	}
	if err == nil {
		res, err = scan.Run(cmd.Context(), req, setup)
	}
	if err == nil && f.accept {
		err = hiddenByAccepted(cmd.Context(), rng, req, eopts, res)
	}
	// The progress line is cleared before anything else is printed.
	prog.stop()
	meta := report.Meta{Version: version, Scopes: req.Scopes(), IncludeLogs: f.includeLogs, Now: time.Now()}
	// source speaks of ranges and history; the user typed flags.
	switch {
	case errors.Is(err, source.ErrBadRange):
		err = fmt.Errorf("--range %s: %w", f.rangeSpec, err)
	case errors.Is(err, source.ErrBare):
		err = fmt.Errorf("%w; scan its commits with --history", err)
	}
	if err != nil {
		// The contract holds even when the scan cannot run: a valid
		// report with status error, then exit 2.
		res = &scan.Result{Mode: req.Mode(), Errors: errorLines(err), Duration: time.Since(start)}
	} else {
		meta.Pack = setup.Pack
	}
	rep := report.New(res, meta)
	if n := gitleaksConfigNotice(root, meta.Pack); n != "" && err == nil {
		rep.Warnings = append(rep.Warnings, n)
	}
	if reportPath != "" {
		if werr := rep.WriteFile(reportPath); werr != nil {
			return usageErr(werr)
		}
	}
	if sarifPath != "" {
		if werr := sarif.WriteFile(sarifPath, rep, meta.Pack); werr != nil {
			return usageErr(werr)
		}
	}
	if f.junit != "" {
		if werr := writeJUnit(rootpath.Resolve(cwd, f.junit), rep); werr != nil {
			return usageErr(werr)
		}
	}
	if f.summary != "" {
		if werr := atomicfile.Write(rootpath.Resolve(cwd, f.summary), []byte(report.Markdown(rep)), 0o644); werr != nil {
			return usageErr(werr)
		}
	}
	if err := a.print(rep, f.format, f.quiet); err != nil {
		return err
	}
	if !f.quiet {
		for _, w := range rep.Warnings {
			fmt.Fprintf(a.io.err, "keygate: warning: %s\n", report.Escape(w))
		}
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(a.io.err, "keygate: error: %s\n", report.Escape(e))
	}
	if f.format == "text" && !f.quiet {
		// The verdict last, after the reasons for it.
		fmt.Fprintln(a.io.out, report.Summarize(rep))
	}
	code := rep.ExitCodeFailingOn(failOn)
	if code != rep.ExitCode() && !f.quiet {
		fmt.Fprintf(a.io.err, "keygate: every finding is below --fail-on %s: exit 0\n", failOn)
	}
	if code != exitPass {
		return &exitError{code: code}
	}
	return nil
}

func (a *app) print(rep *report.Report, format string, quiet bool) error {
	if format == "markdown" {
		_, err := io.WriteString(a.io.out, report.Markdown(rep))
		return err
	}
	if format == "junit" {
		data, err := report.JUnit(rep)
		if err != nil {
			return err
		}
		_, err = a.io.out.Write(data)
		return err
	}
	if format == "github" {
		return report.WriteGitHub(a.io.out, rep, report.MaxAnnotations)
	}
	if format == "json" {
		data, err := rep.JSON()
		if err != nil {
			return err
		}
		_, err = a.io.out.Write(data)
		return err
	}
	return report.WriteText(a.io.out, rep, report.TextOptions{Colour: a.colour(a.io.out), Quiet: quiet, NoSummary: true})
}

// includeLogsAlone refuses --include-logs beside PATH arguments or another
// mode: it adds log_scopes to the configured scopes, and PATH arguments
// replace the scopes (as --staged, --history and --stdin read something
// else). Ignoring it there would let a user believe the logs were scanned;
// adding the log scopes to the PATHs would scan what was not named.
func includeLogsAlone(includeLogs, otherMode bool) error {
	if includeLogs && otherMode {
		return errors.New("--include-logs adds log_scopes to the configured scopes, and PATH arguments, --staged, --history and --stdin replace those: name the log folders as PATHs (keygate scan data/bot1/logs) or drop the other arguments")
	}
	return nil
}
