package scan

import (
	"context"
	"fmt"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/source"
)

// Recompute lists again what a report's inputs name, in the working tree
// under root (the scopes, or the PATH arguments, walked as a scan walks
// them) or its repository (the commits of every ref, or of the range),
// and returns their digest now. It reads and hashes; it scans nothing.
func Recompute(ctx context.Context, root string, cfg *config.Config, scopes []string, in Inputs) (string, error) {
	switch in.Kind {
	case InputFiles:
		w, err := listFiles(root, in.Paths, scopes, cfg.FollowSymlinks, nil)
		if err != nil {
			return "", err
		}
		digest, _, err := source.DigestFiles(ctx, w.Files, in.Excluded, nil)
		return digest, err
	case InputCommits:
		repo, err := source.OpenRepo(root)
		if err != nil {
			return "", err
		}
		revs, err := repo.AllRefs()
		if in.Range != "" {
			revs, err = repo.RangeRevs(in.Range)
		}
		if err != nil {
			return "", err
		}
		ids, err := repo.CommitIDs(revs)
		if err != nil {
			return "", err
		}
		if err := repo.Verify(); err != nil {
			return "", err
		}
		return source.DigestCommits(ids), nil
	}
	return "", fmt.Errorf("inputs of kind %q cannot be recomputed", in.Kind)
}
