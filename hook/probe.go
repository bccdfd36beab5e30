package hook

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The probe: git runs the hook with probeArg+nonce as its only argument,
// and the hook answers probeReply and that argument when the nonce file
// beside it holds the nonce. The nonce is new each time, written only for
// the probe and removed after it, so no variable, argument or file a user
// could leave behind turns the hook off.
const (
	probeArg   = "keygate-probe:"
	probeReply = "keygate-hook-probe-ok"
)

// ErrHookNotRun is returned when git does not run the hook keygate wrote.
var ErrHookNotRun = errors.New("git does not run the hook keygate wrote")

// errNoHookRun marks a git without `git hook run` (before 2.36).
var errNoHookRun = errors.New("this git has no `git hook run`")

// probe asks git to run the hook of kind k and checks that the one it
// runs is the file keygate wrote at loc.
func probe(dir string, loc Location, k Kind) error {
	err := runProbe(dir, loc, k)
	if errors.Is(err, errNoHookRun) {
		// The path git named is the best proof there is.
		return nil
	}
	return err
}

func runProbe(dir string, loc Location, k Kind) error {
	path := loc.Path(k)
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return fmt.Errorf("probe %s: %w", path, err)
	}
	nonce := hex.EncodeToString(raw[:])
	noncePath := filepath.Join(loc.Dir, k.probeName())
	// O_EXCL: a file already there (a link planted to redirect the write)
	// is replaced, never written through.
	os.Remove(noncePath)
	f, err := os.OpenFile(noncePath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("probe %s: %w", path, err)
	}
	_, err = f.WriteString(nonce)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	defer os.Remove(noncePath)
	if err != nil {
		return fmt.Errorf("probe %s: %w", path, err)
	}
	cmd := exec.Command("git", "hook", "run", "--ignore-missing", string(k), "--", probeArg+nonce)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if strings.Contains(string(out), probeReply+" "+probeArg+nonce) {
		return nil
	}
	if err != nil && strings.Contains(string(out), "git hook") && strings.Contains(string(out), "usage") {
		return errNoHookRun
	}
	// What git said, quoted and cut short: whatever hook git ran instead
	// is not ours, and its output is not for a terminal as it is.
	said := strings.TrimSpace(string(out))
	if len(said) > 300 {
		said = "..." + said[len(said)-300:]
	}
	return fmt.Errorf("%s: %w (is core.hooksPath set at another level, or the file not executable?): git said %q", path, ErrHookNotRun, said)
}
