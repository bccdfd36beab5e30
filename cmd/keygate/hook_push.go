package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/keygate/keygate/hook"
	"github.com/keygate/keygate/report"
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
			if framework {
				var err error
				if resolve, err = frameworkRevs(os.Getenv); err != nil {
					return usageErr(err)
				}
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
			}
			return a.pushScan(cmd, resolve, pushAdvice)
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
			return a.pushScan(cmd, func(repo *source.Repo) (source.Revs, error) { return hook.ReceiveRevs(repo, updates) }, receiveAdvice)
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
			return a.pushScan(cmd, func(repo *source.Repo) (source.Revs, error) { return hook.ReceiveRevs(repo, u) }, receiveAdvice)
		},
	}
}

// pushScan scans the commits resolve names as a range scan does, and
// follows findings with advice.
func (a *app) pushScan(cmd *cobra.Command, resolve func(*source.Repo) (source.Revs, error), advice string) error {
	f := scanFlags{history: true, format: "text", failOn: "low", revs: resolve}
	err := a.scan(cmd, f, nil)
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitFail {
		fmt.Fprint(a.io.err, advice)
	}
	return err
}

// escapeLine makes one line of outside text safe for a terminal.
func escapeLine(s string) string { return report.Escape(s) }
