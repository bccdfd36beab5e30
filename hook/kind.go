package hook

import "fmt"

// Kind is a git hook keygate can stand in: the name git runs it by and
// the keygate command it starts.
type Kind string

// The kinds keygate installs. PreCommit and PrePush run in a developer's
// clone; PreReceive and Update on a server's bare repository.
const (
	PreCommit  Kind = "pre-commit"
	PrePush    Kind = "pre-push"
	PreReceive Kind = "pre-receive"
	Update     Kind = "update"
)

// Kinds are every kind, in the order they are reported.
var Kinds = []Kind{PreCommit, PrePush, PreReceive, Update}

// ClientKinds are what `keygate hook install` writes in a clone.
var ClientKinds = []Kind{PreCommit, PrePush}

// ServerKinds are what it writes in a bare repository.
var ServerKinds = []Kind{PreReceive}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("%q is not a hook keygate installs (pre-commit, pre-push, pre-receive, update)", s)
}

// Args is the keygate command line the hook runs, after the program.
func (k Kind) Args() string {
	if k == PreCommit {
		return "scan --staged"
	}
	// git's arguments follow: the remote for pre-push, the ref and both
	// ids for update.
	return "hook " + string(k) + ` "$@"`
}

// readsStdin is true of the kinds git hands ref updates on stdin: a
// chained hook and keygate must both read them.
func (k Kind) readsStdin() bool { return k == PrePush || k == PreReceive }

// server is true of the kinds that run in the repository pushed to.
func (k Kind) server() bool { return k == PreReceive || k == Update }

// ChainedName is the file a foreign hook of this kind is moved to by
// Options.Chain, beside the hook; Uninstall moves it back.
func (k Kind) ChainedName() string { return string(k) + ".keygate-chained" }

// probeName is the one-time nonce file beside the hook, which only
// Install and Status write, and remove after their probe.
func (k Kind) probeName() string { return string(k) + ".keygate-probe" }
