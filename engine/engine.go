// Package engine loads what a scan, a redaction or a rotation's hygiene
// check runs with: the default rule pack merged with the configured and
// extra packs, the active credential values of the env file, the detector
// compiled from both, and the baseline. Values stay inside the detector;
// warnings name variables and lines, never values.
package engine

import (
	"errors"
	"fmt"
	"os"

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
}

// Engine is what a scan runs with.
type Engine struct {
	Pack     *rules.Pack
	Detector *detector.Detector
	Baseline *baseline.File
	// EnvFile is the env file whose values are searched, if any.
	EnvFile string
	// Warnings name variables and lines, never values.
	Warnings []string
}

// LoadPack loads the rule packs alone: the default, the configuration's
// (relative to the root) and the extra ones, merged in that order.
func LoadPack(o Options) (*rules.Pack, error) {
	var packs []string
	for _, p := range o.Config.Rules {
		packs = append(packs, rootpath.Resolve(o.Root, p))
	}
	return rules.LoadWithExtras(append(packs, o.ExtraRules...))
}

// Load loads the rule packs, the active values and the baseline.
func Load(o Options) (*Engine, error) {
	pack, err := LoadPack(o)
	if err != nil {
		return nil, err
	}
	e := &Engine{Pack: pack}
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
		if e.Baseline, err = baseline.Load(rootpath.Resolve(o.Root, o.Config.Baseline)); err != nil {
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
	return SecretValues(f, o.Config.SecretEnv), nil
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
