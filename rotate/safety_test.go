package rotate

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/scan"
)

const (
	testOldEnv = "BOT1_BITGET_API_KEY=bg_0000aaaa1111bbbb2222cccc3333dddd\n" +
		"BOT1_BITGET_API_SECRET=0000aaaa1111bbbb2222cccc3333dddd0000aaaa1111bbbb2222cccc3333dddd\n" +
		"BOT1_BITGET_PASSPHRASE=Old5Passphrase9Reef\n"
	testNewKey    = "bg_9999ffff8888eeee7777dddd6666cccc"
	testNewSecret = "9999ffff8888eeee7777dddd6666cccc9999ffff8888eeee7777dddd6666cccc"
	testNewPass   = "New7Passphrase3Dune"
	testNewKeys   = "BOT1_BITGET_API_KEY=" + testNewKey + "\nBOT1_BITGET_API_SECRET=" + testNewSecret + "\nBOT1_BITGET_PASSPHRASE=" + testNewPass + "\n"
)

// newTestRotator lays out an env file with BOT1's old keys and an account
// map that names BOT1.
func newTestRotator(t *testing.T) *Rotator {
	t.Helper()
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", testOldEnv)
	require.NoError(t, os.Chmod(filepath.Join(dir, "env/.env"), 0o600))
	fixture.Write(t, dir, "config/exchange_account_map.json", `{"BOT1": {"exchange": "bitget"}}`)
	// Stage audits the new key at Bitget: a stand-in knows it.
	b := fixture.NewBitget(t)
	b.Add(testNewKey, fixture.BitgetAccount{Secret: testNewSecret, Passphrase: testNewPass, Authorities: fixture.TradeOnly, IPs: "203.0.113.7"})
	t.Setenv(bitget.EnvBaseURL, b.URL)
	return &Rotator{Root: dir, Config: config.Default()}
}

func (r *Rotator) stageTestKeys() error {
	return r.Stage(StageInput{Bot: "BOT1", Owner: "alice", Keys: strings.NewReader(testNewKeys), KeysName: "test"})
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

// failWrites makes writes to path fail with errno, as a full disk or a
// read-only directory would.
func failWrites(r *Rotator, path string, errno syscall.Errno) {
	r.writeFile = func(p string, data []byte, perm os.FileMode) error {
		if p == path {
			return fmt.Errorf("write %s: %w", p, errno)
		}
		return os.WriteFile(p, data, perm)
	}
}

// A full disk when the state is recorded: the stage fails and leaves no
// backup behind (a copy of the keys that nothing refers to).
func TestStageFullDiskAtStateLeavesNoBackup(t *testing.T) {
	r := newTestRotator(t)
	failWrites(r, r.statePath(), syscall.ENOSPC)
	err := r.stageTestKeys()
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ENOSPC), err)
	assert.NoFileExists(t, r.backupPath())
	assert.NoFileExists(t, r.statePath())
	assert.NoFileExists(t, r.lockPath(), "the lock is released")
	assert.Equal(t, testOldEnv, readFile(t, r.envPath()), "the env file is untouched")
}

// Rollback of a stage whose env file was never rewritten (killed before the
// rename) does not rewrite it: it works when the env directory is
// read-only, and the file keeps its inode.
func TestRollbackNoOpWhenEnvEqualsBackup(t *testing.T) {
	r := newTestRotator(t)
	r.Checkpoint = func(point string) {
		if point == "before-rename" {
			panic("stop")
		}
	}
	func() {
		defer func() { require.Equal(t, "stop", recover()) }()
		_ = r.stageTestKeys()
	}()
	os.Remove(r.lockPath()) // the "killed" process's lock
	r.Checkpoint = nil
	before, err := os.Stat(r.envPath())
	require.NoError(t, err)
	failWrites(r, r.envPath(), syscall.EROFS)

	require.NoError(t, r.Rollback(0))
	after, err := os.Stat(r.envPath())
	require.NoError(t, err)
	assert.True(t, os.SameFile(before, after), "the env file was not replaced")
	assert.Equal(t, testOldEnv, readFile(t, r.envPath()))
	st, err := r.loadState()
	require.NoError(t, err)
	assert.Equal(t, StepRolledBack, st.Step)
	assert.NoFileExists(t, r.backupPath())
}

// A rollback that must rewrite the env file still reports a read-only
// directory as an error and keeps the backup.
func TestRollbackRewriteFailureKeepsBackup(t *testing.T) {
	r := newTestRotator(t)
	require.NoError(t, r.stageTestKeys())
	failWrites(r, r.envPath(), syscall.EROFS)
	err := r.Rollback(0)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.EROFS), err)
	assert.FileExists(t, r.backupPath())
}

// A symlinked env file is refused, naming the fix; the link and its
// target are untouched.
func TestStageRefusesSymlinkedEnv(t *testing.T) {
	r := newTestRotator(t)
	target := filepath.Join(r.Root, "secrets", "bot.env")
	fixture.Write(t, r.Root, "secrets/bot.env", testOldEnv)
	require.NoError(t, os.Remove(r.envPath()))
	require.NoError(t, os.Symlink(target, r.envPath()))

	err := r.stageTestKeys()
	require.Error(t, err)
	var se *StepError
	assert.False(t, errors.As(err, &se), "a layout problem is a usage error (exit 2), not a failed step")
	assert.Contains(t, err.Error(), "env/.env is a symbolic link (to "+target+")")
	assert.Contains(t, err.Error(), "set env_file in .keygate.yaml to the target's path")
	fi, err := os.Lstat(r.envPath())
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link is kept")
	assert.Equal(t, testOldEnv, readFile(t, target))
	assert.NoFileExists(t, r.backupPath())

	// Pointing env_file at the target works.
	r.Config.EnvFile = "secrets/bot.env"
	require.NoError(t, r.stageTestKeys())
	assert.Contains(t, readFile(t, target), "New7Passphrase3Dune")
}

// Temp files an interrupted write left (next to the env file, holding
// keys; in the state directory) are removed by the next command, and are
// blocked paths by default; the state directory is gitignored.
func TestLeftoversSweptAndIgnored(t *testing.T) {
	r := newTestRotator(t)
	envTmp := filepath.Join(r.Root, "env", "..env.tmp-1234567")
	stateTmp := filepath.Join(r.Root, ".keygate", ".rotation.json.tmp-89")
	backupTmp := filepath.Join(r.Root, ".keygate", ".env.backup.tmp-42")
	for _, p := range []string{envTmp, stateTmp, backupTmp} {
		fixture.Write(t, r.Root, mustRel(t, r.Root, p), testNewKeys)
	}
	var status strings.Builder
	require.NoError(t, r.Status(&status))
	assert.Contains(t, status.String(), "leftover temp file env/..env.tmp-1234567 from an interrupted write")
	assert.FileExists(t, envTmp, "status changes nothing")

	var out strings.Builder
	r.Out = &out
	require.NoError(t, r.stageTestKeys())
	for _, p := range []string{envTmp, stateTmp, backupTmp} {
		assert.NoFileExists(t, p)
	}
	assert.Contains(t, out.String(), "removed env/..env.tmp-1234567, left by an interrupted run")
	assert.Equal(t, "*", strings.TrimSpace(lastLine(readFile(t, filepath.Join(r.Root, ".keygate", ".gitignore")))))

	for _, p := range []string{"env/..env.tmp-1234567", ".keygate/env.backup", ".keygate/.rotation.json.tmp-89", "deploy/env/..env.tmp-x"} {
		assert.True(t, scan.Blocked(config.DefaultBlockedPaths(), p), "%s is blocked by default", p)
	}

	// git agrees that nothing under the state directory is committable.
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test")
	}
	require.NoError(t, exec.Command("git", "-C", r.Root, "init", "-q").Run())
	out2, err := exec.Command("git", "-C", r.Root, "status", "--porcelain", "--untracked-files=all", ".keygate").Output()
	require.NoError(t, err)
	assert.Empty(t, strings.TrimSpace(string(out2)))
}

func mustRel(t *testing.T, root, p string) string {
	rel, err := filepath.Rel(root, p)
	require.NoError(t, err)
	return filepath.ToSlash(rel)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// The lock file is never visible without its owner's pid; a lock whose
// process is gone (or that names none) is taken over; a live one refuses.
func TestLockOwnerAndStaleTakeover(t *testing.T) {
	r := newTestRotator(t)
	unlock, err := r.lock()
	require.NoError(t, err)
	pid, alive := lockHolder(r.lockPath())
	assert.Equal(t, os.Getpid(), pid)
	assert.True(t, alive)

	_, err = r.lock()
	var se *StepError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), fmt.Sprintf("another keygate rotate (pid %d) holds", os.Getpid()))
	unlock()
	assert.NoFileExists(t, r.lockPath())

	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	for name, content := range map[string]string{
		"dead process": fmt.Sprintf("%d host 2026-01-01T00:00:00Z\n", dead.Process.Pid),
		"empty":        "",
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(r.lockPath(), []byte(content), 0o600))
			unlock, err := r.lock()
			require.NoError(t, err)
			pid, _ := lockHolder(r.lockPath())
			assert.Equal(t, os.Getpid(), pid)
			unlock()
		})
	}
}

// The services of a rollback report while they restart: the rollback's
// clock starts before the recreate, as a cutover's does, so a report
// written during a slow recreate counts as fresh. (Started after it, a
// recreate that crossed a second made every report look stale.)
func TestRollbackRecreateClockStartsBefore(t *testing.T) {
	r := newTestRotator(t)
	marker := filepath.Join(t.TempDir(), "recreated")
	r.Config.Rotate.ComposeArgv = []string{"sh", "-c", `mkdir -p reports/exchange_snapshots reports/reconciliation
printf '{"generated_at": "%s", "probes": [{"bot": "BOT1", "status": "ok"}]}' "$STAMP" > reports/exchange_snapshots/latest.json
printf '{"generated_at": "%s", "status": "ok", "drift": []}' "$STAMP" > reports/reconciliation/latest.json
touch "$MARKER"`, "compose"}
	t.Setenv("MARKER", marker)
	cur := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	// Each recreate takes 2 s: the clock shows it at its next reading.
	// The stand-in stamps its reports with the last reading before it.
	r.Now = func() time.Time {
		if os.Remove(marker) == nil {
			cur = cur.Add(2 * time.Second)
		}
		t.Setenv("STAMP", cur.Format(time.RFC3339))
		return cur
	}
	r.Sleep = func(d time.Duration) { cur = cur.Add(d) }
	require.NoError(t, r.stageTestKeys())
	require.NoError(t, r.Cutover())
	require.NoError(t, r.Rollback(time.Minute))
	assert.Equal(t, testOldEnv, readFile(t, r.envPath()))
}
