package scan

import (
	"context"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/gitleaksignore"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/source"
	"github.com/keygate/keygate/verifier"
)

// Request is one scan as a user asks for it: configuration plus flags.
type Request struct {
	Root   string
	Config *config.Config
	// Paths replace the configured scopes when non-empty.
	Paths       []string
	IncludeLogs bool
	// Stdin, when set, is the only thing scanned.
	Stdin io.Reader
	// Staged scans the git index; History the commits of Revs (resolved
	// by the caller: every ref, a range, a push's ref updates).
	Staged  bool
	History bool
	Revs    source.Revs
	// IndexFile is the index a staged scan reads (git names it to hooks
	// in GIT_INDEX_FILE); empty means the repository's.
	IndexFile string
	// Repo, when set, is the repository at Root a staged or history scan
	// reads, opened by the caller ahead of time (source.Repo.Prepare) with
	// its MaxObject set from Config; nil: opened here.
	Repo     *source.Repo
	Progress Progress
	// Policy, when set, is the tree the suppressions are read from
	// (.gitleaksignore here; the engine reads the configuration's packs
	// and baseline from the same tree): a range's base commit
	// (source.Repo.TreeFS), so the change being judged cannot suppress
	// its own findings. Nil means the working tree under Root.
	Policy     fs.FS
	PolicyName string
	// Verify, when set, asks providers whether found credentials are live
	// (scan --verify).
	Verify *verifier.Stage
	// InlineTrusted and AcceptPolicyChanges: see Options. PolicyChanges
	// are the suppressions the range adds outside its files' lines (its
	// configuration, ignore file, baseline and packs, diffed by package
	// trust), filed as findings or, accepted, as suppressions.
	InlineTrusted       func(path string, line []byte) bool
	AcceptPolicyChanges bool
	PolicyChanges       []Finding
	// RangeSpec is the range as the user wrote it (BASE..HEAD), for
	// messages; empty for every ref.
	RangeSpec string
	// Outputs are the root-relative paths this run writes (its report):
	// left out of the inputs digest, since writing them changes them.
	Outputs []string
	// AllowEmpty accepts a scan that read nothing (no file, no commit) as
	// a pass; otherwise it is an error: a pass over nothing must not look
	// like a clean tree.
	AllowEmpty bool
}

// Hygiene reports whether the request is the hygiene scan: the configured
// scopes of the working tree, where every file must be read.
func (req Request) Hygiene() bool {
	return req.Mode() == ModePaths && len(req.Paths) == 0
}

// Mode is the latest.json mode of the request.
func (req Request) Mode() Mode {
	switch {
	case req.Stdin != nil:
		return ModeStdin
	case req.Staged:
		return ModeStaged
	case req.History:
		return ModeHistory
	}
	return ModePaths
}

// Scopes are the globs a working-tree scan covers for this request.
func (req Request) Scopes() []string {
	if len(req.Paths) > 0 || req.Mode() != ModePaths {
		return []string{}
	}
	scopes := append([]string{}, req.Config.Scopes...)
	if req.IncludeLogs {
		scopes = append(scopes, req.Config.LogScopes...)
	}
	return scopes
}

// Run performs the scan the request asks for with a loaded engine. An
// error means the scan could not start (bad configuration or input);
// problems with single files are in the result's Errors. Paths and
// messages in the result and the error are masked (see maskResult).
func Run(ctx context.Context, req Request, s *engine.Engine) (*Result, error) {
	r, err := run(ctx, req, s)
	if err != nil {
		return nil, maskError(s.Detector, err)
	}
	maskResult(s.Detector, r)
	return r, nil
}

func run(ctx context.Context, req Request, s *engine.Engine) (*Result, error) {
	// .gitleaksignore is read here, not by the engine: it suppresses scan
	// findings and means nothing to redact or rotate.
	var ignore *gitleaksignore.List
	var err error
	if req.Policy != nil {
		ignore, err = gitleaksignore.LoadFS(req.Policy, req.PolicyName+":"+gitleaksignore.FileName)
	} else {
		ignore, err = gitleaksignore.Load(filepath.Join(req.Root, gitleaksignore.FileName))
	}
	if err != nil {
		return nil, err
	}
	defer ignore.Close()
	// An entry for a rule id keygate does not know matches nothing: say so.
	warnings := append([]string{}, s.Warnings...)
	var unused unusedEntries
	known := func(id string) bool { return (s.Pack != nil && s.Pack.Rule(id) != nil) || rules.Builtin(id) != nil }
	if err := ignore.EachUnknown(known, unused.add); err != nil {
		return nil, err
	}
	warnings = append(warnings, unused.warnings()...)
	opts := Options{Detector: s.Detector, AllowPaths: req.Config.AllowPaths, Baseline: s.Baseline, GitleaksIgnore: ignore, Verify: req.Verify,
		Containers:    req.Config.Containers.Limits(),
		InlineTrusted: req.InlineTrusted, AcceptPolicyChanges: req.AcceptPolicyChanges}
	if req.Stdin != nil {
		r := StreamContext(ctx, opts, req.Stdin)
		r.Warnings = append(warnings, r.Warnings...)
		return r, nil
	}
	if req.Staged || req.History {
		repo := req.Repo
		if repo == nil {
			if repo, err = source.OpenRepo(req.Root); err != nil {
				return nil, err
			}
			repo.MaxObject = int64(req.Config.MaxObjectMB) << 20
		}
		gopts := GitOptions{Options: opts, Blocked: req.Config.BlockedPaths, Revs: req.Revs, IndexFile: req.IndexFile, Progress: req.Progress}
		var r *Result
		if req.Staged {
			r, err = Staged(ctx, repo, gopts)
		} else {
			r, err = History(ctx, repo, gopts)
		}
		if err != nil {
			return nil, err
		}
		// The reads did not wait for the pack indexes' own checksums;
		// the verdict does.
		if err := repo.Verify(); err != nil {
			r.Errors = append(r.Errors, err.Error()+": the objects read through it are not trusted")
		}
		if len(req.PolicyChanges) > 0 {
			opts.filePolicy(r, req.PolicyChanges)
			sortFindings(r)
		}
		r.Warnings = append(warnings, r.Warnings...)
		if r.Inputs != nil {
			r.Inputs.Range = req.RangeSpec
		}
		if req.History && r.Commits == 0 {
			req.empty(r, noCommits(req.RangeSpec))
		}
		return r, nil
	}
	opts.sums = source.NewContentSums()
	r, w, err := opts.scanFiles(ctx, func(found func(source.File)) (*source.FileList, error) {
		w, err := listFiles(req.Root, req.Paths, req.Scopes(), req.Config.FollowSymlinks, found)
		if err == nil && req.Hygiene() {
			applySkips(req.Config, w)
		}
		return w, err
	})
	if err != nil {
		return nil, err
	}
	opts.foldBlocked(r, req.Config.BlockedPaths, w)
	r.Warnings = append(warnings, r.Warnings...)
	if req.Hygiene() {
		req.Outputs = append(req.Outputs, excuseUnreadable(req.Config, w, r)...)
		r.Errors = append(r.Errors, unreadErrors(req.Config, r)...)
		errs, warnings := scopeErrors(req, w)
		r.Errors = append(r.Errors, errs...)
		r.Warnings = append(r.Warnings, warnings...)
	}
	if r.FilesScanned == 0 {
		req.empty(r, nothingScanned(r, req.Scopes()))
	}
	in, err := FilesInputs(ctx, req, w, opts.sums)
	if err != nil && len(r.Errors) == 0 {
		// (A file the scan could not read is already an error.)
		r.Errors = append(r.Errors, "inputs digest: "+err.Error())
	}
	r.Inputs = in
	return r, nil
}

// FilesInputs are the inputs of a working-tree scan over the walk w;
// sums are the files' sums its reads took (nil: none).
func FilesInputs(ctx context.Context, req Request, w *source.FileList, sums *source.ContentSums) (*Inputs, error) {
	digest, n, err := source.DigestFiles(ctx, w.Files, req.Outputs, sums)
	if err != nil {
		return nil, err
	}
	return &Inputs{Kind: InputFiles, Digest: digest, Count: n, Paths: append([]string{}, req.Paths...), Excluded: append([]string{}, req.Outputs...)}, nil
}

// listFiles lists the files a working-tree scan reads: the paths given,
// else the scopes' files, links matching a follow glob followed; found
// (nil: none) is given each as the walk lists it (source.Lister). A scan
// and `keygate verify`'s recount (Recompute) list through it alike.
func listFiles(root string, paths, scopes, follow []string, found func(source.File)) (*source.FileList, error) {
	l := source.Lister{Follow: follow, Found: found}
	if len(paths) > 0 {
		return l.Paths(root, paths)
	}
	return l.Scopes(root, scopes)
}

// empty records that a scan read nothing: an error, or with AllowEmpty a
// warning.
func (req Request) empty(r *Result, why string) {
	if req.AllowEmpty {
		r.Warnings = append(r.Warnings, why+" (accepted: --allow-empty)")
		return
	}
	r.Errors = append(r.Errors, why+"; give --allow-empty if that is expected")
}
