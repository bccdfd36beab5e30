package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/source"
)

// Request is one scan as a user asks for it: configuration plus flags.
type Request struct {
	Root   string
	Config *config.Config
	// Paths replace the configured scopes when non-empty.
	Paths       []string
	IncludeLogs bool
	// ExtraRules are packs merged over the default and the config's rules.
	ExtraRules []string
	// Stdin, when set, is the only thing scanned.
	Stdin io.Reader
	// NoBaseline ignores the baseline file (used to write a new one).
	NoBaseline bool
	// EnvFile names the file of active values; empty means the config's
	// env_file when it exists. NoEnvFile turns known values off.
	EnvFile   string
	NoEnvFile bool
	// Staged scans the git index; History the commits (all, or Range).
	Staged   bool
	History  bool
	Range    string
	Progress Progress
}

// Setup is what a scan runs with: the merged pack and its detector.
type Setup struct {
	Pack     *rules.Pack
	Detector *detector.Detector
	Baseline *Baseline
	// EnvFile is the env file whose values are searched, if any.
	EnvFile string
	// Warnings name variables and lines, never values.
	Warnings []string
}

// Prepare loads the rule packs and the baseline named by the request.
func Prepare(req Request) (*Setup, error) {
	var packs []string
	for _, p := range req.Config.Rules {
		packs = append(packs, req.abs(p))
	}
	packs = append(packs, req.ExtraRules...)
	pack, err := rules.LoadWithExtras(packs)
	if err != nil {
		return nil, err
	}
	s := &Setup{Pack: pack}
	known, err := s.knownValues(req, pack)
	if err != nil {
		return nil, err
	}
	d, err := detector.New(pack, known...)
	if err != nil {
		return nil, fmt.Errorf("compile rules: %w", err)
	}
	s.Detector = d
	s.Warnings = append(s.Warnings, d.Warnings()...)
	if !req.NoBaseline && req.Config.Baseline != "" {
		if s.Baseline, err = LoadBaseline(req.abs(req.Config.Baseline)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// knownValues reads the active credential values: the variables of the env
// file whose names match secret_env.
func (s *Setup) knownValues(req Request, pack *rules.Pack) ([]detector.KnownValue, error) {
	if req.NoEnvFile {
		return nil, nil
	}
	path := req.EnvFile
	if path == "" {
		if req.Config.EnvFile == "" {
			return nil, nil
		}
		path = req.abs(req.Config.EnvFile)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
	}
	f, err := envfile.Load(path)
	if err != nil {
		return nil, err
	}
	s.EnvFile = path
	s.Warnings = append(s.Warnings, f.Warnings...)
	return SecretValues(f, req.Config.SecretEnv), nil
}

// SecretValues picks the entries of f whose names match the secret_env globs.
func SecretValues(f *envfile.File, globs []string) []detector.KnownValue {
	var out []detector.KnownValue
	for _, e := range f.Entries {
		for _, g := range globs {
			if ok, _ := doublestar.Match(g, e.Key); ok {
				out = append(out, detector.KnownValue{Name: e.Key, Value: e.Value})
				break
			}
		}
	}
	return out
}

func (req Request) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(req.Root, p)
}

// Mode is the latest.json mode of the request.
func (req Request) Mode() string {
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

// Run performs a working-tree or stdin scan. An error means the scan could
// not start (bad configuration or input); problems with single files are
// in the result's Errors.
func Run(ctx context.Context, req Request, s *Setup) (*Result, error) {
	opts := Options{Detector: s.Detector, AllowPaths: req.Config.AllowPaths, Baseline: s.Baseline}
	if req.Stdin != nil {
		r := Stream(opts, req.Stdin)
		r.Warnings = append(append([]string{}, s.Warnings...), r.Warnings...)
		return r, nil
	}
	if req.Staged || req.History {
		repo, err := source.OpenRepo(req.Root)
		if err != nil {
			return nil, err
		}
		gopts := GitOptions{Options: opts, Blocked: req.Config.BlockedPaths, Range: req.Range, Progress: req.Progress}
		var r *Result
		if req.Staged {
			r, err = Staged(ctx, repo, gopts)
		} else {
			r, err = History(ctx, repo, gopts)
		}
		if err != nil {
			return nil, err
		}
		r.Warnings = append(append([]string{}, s.Warnings...), r.Warnings...)
		return r, nil
	}
	var w *source.Walk
	var err error
	if len(req.Paths) > 0 {
		w, err = source.Paths(req.Root, req.Paths)
	} else {
		w, err = source.Scopes(req.Root, req.Scopes())
	}
	if err != nil {
		return nil, err
	}
	r := Files(ctx, opts, w)
	r.Warnings = append(append([]string{}, s.Warnings...), r.Warnings...)
	r.Warnings = append(r.Warnings, walkWarnings(req.Scopes(), w, r.FilesScanned)...)
	return r, nil
}
