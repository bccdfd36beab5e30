package main

import (
	"context"
	"fmt"

	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/source"
	"github.com/keygate/keygate/trust"
)

// rangeEngine resolves a range and loads the engine of its base's policy
// (rangePolicy). An error about the revisions is masked with the engine
// of the local policy where that loads, as other scans mask theirs.
func rangeEngine(root string, f scanFlags, req *scan.Request, eopts *engine.Options) (*engine.Engine, *trust.Range, error) {
	revs, err := resolveRevs(root, f)
	if err != nil {
		if local, lerr := engine.Load(*eopts); lerr == nil {
			err = scan.MaskError(local.Detector, err)
		}
		return nil, nil, err
	}
	req.Revs = revs
	rng, err := rangePolicy(root, revs, req, eopts, f.accept)
	if err != nil {
		return nil, nil, err
	}
	setup, err := engine.Load(*eopts)
	return setup, rng, err
}

// rangePolicy makes a range scan judged by its base: the request and the
// engine read the base commit's policy (the head's when the operator
// accepts the range's policy changes), inline allow comments count only
// where the base held them, and the range's policy changes are filed.
func rangePolicy(root string, revs source.Revs, req *scan.Request, eopts *engine.Options, accept bool) (*trust.Range, error) {
	base, ok := revs.Base()
	if !ok || len(revs.Include) != 1 {
		return nil, fmt.Errorf("a range judged by its base needs one base and one head commit")
	}
	repo, err := source.OpenRepo(root)
	if err != nil {
		return nil, err
	}
	rng, err := trust.Open(repo, base.String(), revs.Include[0].String())
	if err != nil {
		return nil, err
	}
	changes, err := rng.Changes()
	if err != nil {
		return nil, fmt.Errorf("compare the range's policy with its base's: %w", err)
	}
	// The policies were read without waiting for the pack indexes' own
	// checksums; what judges the range waits for them.
	if err := repo.Verify(); err != nil {
		return nil, fmt.Errorf("the range's policies: %w", err)
	}
	req.Config, req.Policy, req.PolicyName = rng.BaseConfig, rng.BaseFS, rng.BaseName()
	if accept {
		if rng.HeadErr != nil {
			return nil, fmt.Errorf("--accept-policy-changes: the head's policy: %w", rng.HeadErr)
		}
		req.Config, req.Policy, req.PolicyName = rng.HeadConfig, rng.HeadFS, rng.HeadName()
	}
	req.InlineTrusted = rng.InlineAtBase
	req.AcceptPolicyChanges = accept
	req.PolicyChanges = changes
	eopts.Config, eopts.Policy, eopts.PolicyName = req.Config, req.Policy, req.PolicyName
	return rng, nil
}

// hiddenByAccepted adds to res, a range scanned under the head's accepted
// policy, what the base's policy would have reported and the head's no
// longer sees (a pack's rules or allow lists, blocked_paths): accepting a
// change lists what it suppresses.
func hiddenByAccepted(ctx context.Context, rng *trust.Range, req scan.Request, eopts engine.Options, res *scan.Result) error {
	hides := false
	for _, c := range req.PolicyChanges {
		hides = hides || c.RuleID == scan.PolicyRuleID(scan.PolicyPack) || c.RuleID == scan.PolicyRuleID(scan.PolicyConfig)
	}
	if !hides {
		return nil
	}
	req.Config, req.Policy, req.PolicyName = rng.BaseConfig, rng.BaseFS, rng.BaseName()
	req.AcceptPolicyChanges, req.PolicyChanges = false, nil
	req.Verify = nil // the head's scan asked the providers already
	eopts.Config, eopts.Policy, eopts.PolicyName = req.Config, req.Policy, req.PolicyName
	base, err := engine.Load(eopts)
	if err != nil {
		return fmt.Errorf("the range's base policy: %w", err)
	}
	bres, err := scan.Run(ctx, req, base)
	if err != nil {
		return err
	}
	res.Suppressed = append(res.Suppressed, trust.Hidden(bres, res)...)
	return nil
}
