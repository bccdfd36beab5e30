package scan

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/detector"
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
}

// Setup is what a scan runs with: the merged pack and its detector.
type Setup struct {
	Pack     *rules.Pack
	Detector *detector.Detector
	Baseline *Baseline
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
	d, err := detector.New(pack)
	if err != nil {
		return nil, fmt.Errorf("compile rules: %w", err)
	}
	s := &Setup{Pack: pack, Detector: d}
	if !req.NoBaseline && req.Config.Baseline != "" {
		if s.Baseline, err = LoadBaseline(req.abs(req.Config.Baseline)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (req Request) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(req.Root, p)
}

// Scopes are the globs a working-tree scan covers for this request.
func (req Request) Scopes() []string {
	if len(req.Paths) > 0 || req.Stdin != nil {
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
		return Stream(opts, req.Stdin), nil
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
	return Files(ctx, opts, w), nil
}
