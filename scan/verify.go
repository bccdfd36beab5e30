package scan

import (
	"context"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/verifier"
)

// verifyGroups runs the verifier stage (Options.Verify) over findings
// grouped by fragment, while they still hold their values, and sets each
// converted finding's verdict: out[g][i] is the finding of found[g][i].
// A live credential makes its finding critical. It runs after the CPU
// workers: its time is the providers' answers, on the stage's own pool.
func (o *Options) verifyGroups(ctx context.Context, found [][]detector.Finding, out [][]*Finding) {
	if o.Verify == nil {
		return
	}
	pack := o.Detector.Pack()
	groups := make([][]verifier.Item, len(found))
	for g, fs := range found {
		for _, f := range fs {
			it := verifier.Item{Value: f.Secret, Line: f.Line, EnvName: f.EnvName}
			if r := pack.Rule(f.RuleID); r != nil {
				it.Verify = r.Verify
			}
			groups[g] = append(groups[g], it)
		}
	}
	verdicts := o.Verify.Verify(ctx, groups)
	for g := range out {
		for i, f := range out[g] {
			if v := verdicts[g][i]; v != nil {
				f.Verification = v
				if v.Status == verifier.Live {
					f.Severity = rules.SeverityCritical
				}
			}
		}
	}
}

// verifyFragments verifies the findings of scanned fragments.
func (o *Options) verifyFragments(ctx context.Context, results []fragmentResult) {
	if o.Verify == nil {
		return
	}
	found := make([][]detector.Finding, len(results))
	out := make([][]*Finding, len(results))
	for i := range results {
		found[i] = results[i].findings
		for j := range results[i].converted {
			out[i] = append(out[i], &results[i].converted[j])
		}
	}
	o.verifyGroups(ctx, found, out)
}
