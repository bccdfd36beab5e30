// Package engine loads what a scan, a redaction or a rotation's hygiene
// check runs with: the default rule pack merged with the configured and
// extra packs, the active credential values of the env file, the detector
// compiled from both, and the baseline. Values stay inside the detector;
// warnings name variables and lines, never values.
package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/glob"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/rules"
)

// Options say what to load. Relative paths start at Root.
type Options struct {
	Root   string
	Config *config.Config
	// ExtraRules are packs merged over the default and the config's rules.
	ExtraRules []string
	// EnvFile names the file of active values; empty means the config's
	// env_file when it exists. NoEnvFile turns known values off.
	EnvFile   string
	NoEnvFile bool
	// NoBaseline ignores the baseline file (used to write a new one).
	NoBaseline bool
	// Policy, when set, is where the configuration's rule packs and
	// baseline are read from instead of the disk under Root: a commit's
	// tree (source.Repo.TreeFS) for a range scan, judged by its base.
	// Their paths must then lie inside it. ExtraRules and the env file
	// are the operator's and stay on disk. PolicyName names it in errors
	// ("commit 1a2b...").
	Policy     fs.FS
	PolicyName string
}

// Engine is what a scan runs with.
type Engine struct {
	Pack     *rules.Pack
	Detector *detector.Detector
	Baseline *baseline.File
	// EnvFile is the env file whose values are searched, if any.
	EnvFile string
	// KnownValues counts the env file's values of secret_env variables
	// (before the detector drops those too short to search).
	KnownValues int
	// Warnings name variables and lines, never values.
	Warnings []string
}

// LoadPack loads the rule packs alone: the default, the configuration's
// (relative to the root, or inside Policy) and the extra ones, merged in
// that order.
func LoadPack(o Options) (*rules.Pack, error) {
	if o.Policy == nil {
		var packs []string
		for _, p := range o.Config.Rules {
			packs = append(packs, rootpath.Resolve(o.Root, p))
		}
		return rules.LoadWithExtras(append(packs, o.ExtraRules...))
	}
	pack, err := rules.Default()
	if err != nil {
		return nil, err
	}
	for _, p := range o.Config.Rules {
		rel, name, err := o.policyPath(p)
		if err != nil {
			return nil, err
		}
		extra, err := rules.LoadFS(o.Policy, rel, name)
		if err != nil {
			return nil, err
		}
		if pack, err = pack.Overlay(extra); err != nil {
			return nil, err
		}
	}
	for _, p := range o.ExtraRules {
		extra, err := rules.Load(p)
		if err != nil {
			return nil, err
		}
		if pack, err = pack.Overlay(extra); err != nil {
			return nil, err
		}
	}
	return pack, nil
}

// policyPath turns a configured path into its name inside Policy and the
// name errors give it; a path leaving the tree is an error, not a read of
// the disk.
func (o Options) policyPath(p string) (rel, name string, err error) {
	rel = path.Clean(filepath.ToSlash(p))
	if path.IsAbs(rel) || !fs.ValidPath(rel) || rel == "." {
		return "", "", fmt.Errorf("%s: %s: a range's policy is read from its base commit, and this path is not inside the repository", o.policyName(), p)
	}
	return rel, o.policyName() + ":" + rel, nil
}

func (o Options) policyName() string {
	if o.PolicyName != "" {
		return o.PolicyName
	}
	return "policy"
}

// Load loads the rule packs, the active values and the baseline.
func Load(o Options) (*Engine, error) {
	pack, err := LoadPack(o)
	if err != nil {
		return nil, err
	}
	e := &Engine{Pack: pack}
	for _, ov := range pack.Overrides {
		if ov.Policy {
			e.Warnings = append(e.Warnings, fmt.Sprintf("%s:%d: overrides the built-in policy rule %s (override: true): its findings are this pack's now", ov.File, ov.Line, ov.RuleID))
		}
	}
	known, err := e.knownValues(o)
	if err != nil {
		return nil, err
	}
	d, err := detector.New(pack, known...)
	if err != nil {
		return nil, fmt.Errorf("compile rules: %w", err)
	}
	e.Detector = d
	e.Warnings = append(e.Warnings, d.Warnings()...)
	if !o.NoBaseline && o.Config.Baseline != "" {
		if o.Policy == nil {
			e.Baseline, err = baseline.Load(rootpath.Resolve(o.Root, o.Config.Baseline))
		} else {
			var rel, name string
			if rel, name, err = o.policyPath(o.Config.Baseline); err == nil {
				e.Baseline, err = baseline.LoadFS(o.Policy, rel, name)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// knownValues reads the active credential values: the variables of the env
// file whose names match secret_env.
func (e *Engine) knownValues(o Options) ([]detector.KnownValue, error) {
	if o.NoEnvFile {
		return nil, nil
	}
	path := o.EnvFile
	if path == "" {
		if o.Config.EnvFile == "" {
			return nil, nil
		}
		path = rootpath.Resolve(o.Root, o.Config.EnvFile)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
	}
	f, err := envfile.Load(path)
	if err != nil {
		return nil, err
	}
	e.EnvFile = path
	e.Warnings = append(e.Warnings, f.Warnings...)
	values := SecretValues(f, o.Config.SecretEnv)
	e.KnownValues = len(values)
	return values, nil
}

// SecretValues picks the entries of f whose names match the secret_env globs.
func SecretValues(f *envfile.File, globs []string) []detector.KnownValue {
	var out []detector.KnownValue
	for _, e := range f.Entries {
		if glob.Any(globs, e.Key) {
			out = append(out, detector.KnownValue{Name: e.Key, Value: e.Value})
		}
	}
	return out
}
