package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/hook"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/scan"
	"github.com/keygate/keygate/source"
)

// pushAdvice follows the findings of a refused push from a clone.
const pushAdvice = `keygate: push refused: the commits above would put these secrets on the remote.
    fix: rewrite each commit named above before pushing (once pushed, the key is in a shared history):
      the last commit:    remove the secret, git add the file, git commit --amend
      an earlier commit:  git rebase -i COMMIT~1, mark COMMIT "edit", remove the secret, git commit --amend, git rebase --continue
    then revoke the key if it ever left this machine. To push anyway on purpose: git push --no-verify (CI scans the push again).
`

// receiveAdvice follows the findings of a push a server refused; git
// relays it to the pusher.
const receiveAdvice = `keygate: push rejected: the commits above add these secrets to this repository.
    fix: in your clone, rewrite each commit named above (git rebase -i COMMIT~1 and "edit" it, or git commit --amend for the last one), revoke the key, and push again.
`

func newPrePushCmd(a *app) *cobra.Command {
	var framework bool
	cmd := &cobra.Command{
		Use:   "pre-push [REMOTE [URL]]",
		Short: "The pre-push hook: scan the commits a push would add to the remote",
		Long: `Run by git as the pre-push hook ('keygate hook install' writes it). Reads
git's '<local ref> <local id> <remote ref> <remote id>' lines on stdin and scans
exactly the commits the push would add to REMOTE, as 'scan --range' does:
each secret once, at the commit that added it. An updated branch is scanned
from the remote's id; a new branch from what no remote-tracking ref of REMOTE
holds; a deletion adds nothing. Exit 1 refuses the push.

With --pre-commit-framework it reads the pre-commit framework's
PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF (or, for a branch pushed with its
root commit, PRE_COMMIT_LOCAL_BRANCH and PRE_COMMIT_REMOTE_NAME) instead.`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var resolve func(*source.Repo) (source.Revs, error)
			var base func(*source.Repo, source.Revs) (source.ObjectID, bool, error)
			if framework {
				var err error
				if resolve, err = frameworkRevs(os.Getenv); err != nil {
					return usageErr(err)
				}
				base = frameworkBase
			} else {
				remote := ""
				if len(args) > 0 {
					remote = args[0]
				}
				updates, err := hook.ReadPushLines(a.io.in)
				if err != nil {
					return usageErr(fmt.Errorf("pre-push input: %w", err))
				}
				resolve = func(repo *source.Repo) (source.Revs, error) { return hook.PushRevs(repo, remote, updates) }
				base = pushBase(remote, updates)
			}
			return a.pushScan(cmd, resolve, base, pushAdvice)
		},
	}
	cmd.Flags().BoolVar(&framework, "pre-commit-framework", false, "read the push from the pre-commit framework's PRE_COMMIT_* variables, not stdin")
	return cmd
}

// frameworkRevs is the push the pre-commit framework describes in its
// environment. It handles one ref a push: the first one git lists.
func frameworkRevs(getenv func(string) string) (func(*source.Repo) (source.Revs, error), error) {
	from, to := getenv("PRE_COMMIT_FROM_REF"), getenv("PRE_COMMIT_TO_REF")
	local, remote := getenv("PRE_COMMIT_LOCAL_BRANCH"), getenv("PRE_COMMIT_REMOTE_NAME")
	switch {
	case from != "" && to != "":
		return func(repo *source.Repo) (source.Revs, error) { return repo.RangeRevs(from + ".." + to) }, nil
	case local != "":
		// A new branch holding its root commit: the framework names no
		// range, only the branch: what no tracking ref of the remote holds.
		return func(repo *source.Repo) (source.Revs, error) {
			tip, err := repo.RangeRevs(local + ".." + local)
			if err != nil {
				return source.Revs{}, err
			}
			revs := source.Revs{Include: tip.Include}
			if remote != "" {
				if revs.Exclude, err = repo.RefsUnder("refs/remotes/" + remote + "/"); err != nil {
					return source.Revs{}, err
				}
			}
			return revs, nil
		}, nil
	}
	return nil, errors.New("--pre-commit-framework: PRE_COMMIT_TO_REF is not set: run it from the framework's pre-push stage (git push), which says what the push adds")
}

func newPreReceiveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "pre-receive",
		Short: "The server's pre-receive hook: refuse a push whose commits add a secret",
		Long: `Run by git on the repository pushed to (a bare repository on a self-hosted
server: plain git over SSH, Gitea, GitLab server hooks). Reads git's
'<old id> <new id> <ref>' lines on stdin and scans what each ref update adds:
from the old id, or for a new ref from every ref the repository has; a
deletion adds nothing. The pushed objects are read where git keeps them
until the hook accepts them (the quarantine: GIT_OBJECT_DIRECTORY,
GIT_ALTERNATE_OBJECT_DIRECTORIES). Exit 1 refuses the push; git relays the
findings to the pusher. Install it with 'keygate hook install' in the bare
repository.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			updates, err := hook.ReadReceiveLines(a.io.in)
			if err != nil {
				return usageErr(fmt.Errorf("pre-receive input: %w", err))
			}
			return a.pushScan(cmd, func(repo *source.Repo) (source.Revs, error) { return hook.ReceiveRevs(repo, updates) }, receiveBase(updates), receiveAdvice)
		},
	}
}

func newUpdateHookCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "update REF OLD NEW",
		Short: "The server's update hook: refuse one ref update that adds a secret",
		Long: `Run by git on the repository pushed to, once per ref, as the update hook:
what 'keygate hook pre-receive' does for the one ref git names.`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			u := []hook.RefUpdate{{Ref: args[0], Old: args[1], New: args[2]}}
			return a.pushScan(cmd, func(repo *source.Repo) (source.Revs, error) { return hook.ReceiveRevs(repo, u) }, receiveBase(u), receiveAdvice)
		},
	}
}

// pushScan scans the commits resolve names as a range scan does, judged
// by the policy of the commit base names, and follows findings with
// advice.
func (a *app) pushScan(cmd *cobra.Command, resolve func(*source.Repo) (source.Revs, error),
	base func(*source.Repo, source.Revs) (source.ObjectID, bool, error), advice string) error {
	f := scanFlags{history: true, format: "text", failOn: "low", revs: resolve, policyBase: base}
	err := a.scan(cmd, f, nil)
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitFail {
		fmt.Fprint(a.io.err, advice)
	}
	return err
}

// pushEngine resolves a push's commits and loads the engine of the
// policy they land on (policyBase): that commit's configuration, packs,
// baseline and ignore files, inline allows only where it held them, and
// each pushed head's policy changes filed as findings, as a range is
// judged by its base. With no such commit (a first push) the local
// policy judges.
func pushEngine(root string, f scanFlags, req *scan.Request, eopts *engine.Options) (*engine.Engine, error) {
	revs, err := resolveRevs(root, f)
	if err != nil {
		if local, lerr := engine.Load(*eopts); lerr == nil {
			err = scan.MaskError(local.Detector, err)
		}
		return nil, err
	}
	req.Revs = revs
	repo, err := source.OpenRepo(root)
	if err != nil {
		return nil, err
	}
	base, ok, err := f.policyBase(repo, revs)
	if err != nil || !ok {
		if err == nil {
			return engine.Load(*eopts)
		}
		return nil, err
	}
	var changes []scan.Finding
	seen := map[string]bool{}
	for _, head := range revs.Include {
		one := source.Revs{Include: []source.ObjectID{head}, Exclude: []source.ObjectID{base}}
		if _, err := rangePolicy(root, one, req, eopts, false); err != nil {
			return nil, err
		}
		for _, c := range req.PolicyChanges {
			key := c.RuleID + "\x00" + c.Path + "\x00" + c.Fingerprint
			if !seen[key] {
				seen[key] = true
				changes = append(changes, c)
			}
		}
	}
	req.PolicyChanges = changes
	return engine.Load(*eopts)
}

// pushBase is the commit whose policy judges a push from a clone: the
// remote's commit of the first updated branch, else the remote's default
// branch as last fetched (refs/remotes/REMOTE/HEAD).
func pushBase(remote string, updates []hook.RefUpdate) func(*source.Repo, source.Revs) (source.ObjectID, bool, error) {
	return func(repo *source.Repo, _ source.Revs) (source.ObjectID, bool, error) {
		for _, u := range updates {
			if strings.Trim(u.New, "0") == "" || strings.Trim(u.Old, "0") == "" {
				continue
			}
			if c, ok, err := repo.Commit(u.Old); err == nil && ok {
				return c, true, nil
			}
		}
		if remote == "" {
			return source.ObjectID{}, false, nil
		}
		return revBase(repo, "refs/remotes/"+remote+"/HEAD")
	}
}

// receiveBase is the commit whose policy judges a push to a server: its
// default branch (HEAD) as it stands before the push, so a branch cannot
// bring its own suppressions; where HEAD names no commit, the old commit
// of the first ref updated; in an empty repository, none.
func receiveBase(updates []hook.RefUpdate) func(*source.Repo, source.Revs) (source.ObjectID, bool, error) {
	return func(repo *source.Repo, _ source.Revs) (source.ObjectID, bool, error) {
		if base, ok, _ := revBase(repo, "HEAD"); ok {
			return base, true, nil
		}
		for _, u := range updates {
			if strings.Trim(u.Old, "0") == "" {
				continue
			}
			if c, ok, err := repo.Commit(u.Old); err == nil && ok {
				return c, true, nil
			}
		}
		return source.ObjectID{}, false, nil
	}
}

// revBase is the commit rev names, if it names one.
func revBase(repo *source.Repo, rev string) (source.ObjectID, bool, error) {
	revs, err := repo.RangeRevs(rev + ".." + rev)
	if err != nil {
		return source.ObjectID{}, false, nil
	}
	base, ok := revs.Base()
	return base, ok, nil
}

// frameworkBase: the framework's range has one base, the remote's commit
// (or the parent of the first new one).
func frameworkBase(_ *source.Repo, revs source.Revs) (source.ObjectID, bool, error) {
	base, ok := revs.Base()
	return base, ok, nil
}

// escapeLine makes one line of outside text safe for a terminal.
func escapeLine(s string) string { return report.Escape(s) }
