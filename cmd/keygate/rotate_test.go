package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/rotate"
)

// Old and new synthetic keys of BOT1.
const (
	oldKey    = "bg_0000aaaa1111bbbb2222cccc3333dddd"
	oldSecret = "0000aaaa1111bbbb2222cccc3333dddd0000aaaa1111bbbb2222cccc3333dddd"
	oldPass   = "Old5Passphrase9Reef"
	newKey    = "bg_9999ffff8888eeee7777dddd6666cccc"
	newSecret = "9999ffff8888eeee7777dddd6666cccc9999ffff8888eeee7777dddd6666cccc"
	newPass   = "New7Passphrase3Dune"
)

var rotationValues = []string{oldKey, oldSecret, oldPass, newKey, newSecret, newPass}

const newKeys = "BOT1_BITGET_API_KEY=" + newKey + "\nBOT1_BITGET_API_SECRET=" + newSecret + "\nBOT1_BITGET_PASSPHRASE='" + newPass + "'\n"

// The stand-in for docker: docker compose cannot run on these machines (no
// engine), so this fake at the process boundary records its argv (with a
// digest of env/.env at that moment), prints the env file as a careless
// container might (to prove the output is redacted), and writes the health
// reports the real snapshot service and reconciliation job would, stamped
// with the test's clock (STANDIN_NOW). STANDIN_* variables choose healthy or
// not; STANDIN_WRITES lists per invocation whether reports come at all
// ("no yes": none after the first recreate, then on time).
const standInDocker = `#!/usr/bin/env bash
echo "docker $* env=$(sha256sum env/.env | cut -c1-16)" >> "$STANDIN_LOG"
echo "recreating... loaded:"; cat env/.env
bot=$(echo "${@: -1}" | tr a-z A-Z)
if [ -n "${STANDIN_WRITES:-}" ]; then
  n=$(grep -c '^docker' "$STANDIN_LOG")
  read -r -a writes <<< "$STANDIN_WRITES"
  [ "${writes[$((n-1))]:-yes}" = no ] && exit "${STANDIN_EXIT:-0}"
fi
now=${STANDIN_NOW:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
mkdir -p reports/exchange_snapshots reports/reconciliation
printf '{"generated_at": "%s", "probes": [{"bot": "%s", "status": "%s"}, {"bot": "BOT2", "status": "ok"}]}\n' "$now" "$bot" "${STANDIN_HEALTH:-ok}" > reports/exchange_snapshots/.tmp && mv reports/exchange_snapshots/.tmp reports/exchange_snapshots/latest.json
printf '{"generated_at": "%s", "status": "%s", "drift": [{"bot": "%s", "severity": "%s"}]}\n' "$now" "${STANDIN_RECON:-ok}" "$bot" "${STANDIN_DRIFT:-info}" > reports/reconciliation/.tmp && mv reports/reconciliation/.tmp reports/reconciliation/latest.json
exit "${STANDIN_EXIT:-0}"
`

const standInPause = `#!/usr/bin/env bash
name=$(basename "$0")
echo "$name $* env=$(sha256sum env/.env | cut -c1-16)" >> "$STANDIN_LOG"
if [ "$name" = soft_pause ]; then exit "${STANDIN_SOFT_PAUSE_EXIT:-0}"; fi
exit "${STANDIN_KILL_SWITCH_EXIT:-0}"
`

const composeFile = `services:
  exchange-snapshot-service:
    image: registry.invalid/snapshot:1
  bot1:
    image: registry.invalid/bot:1
    env_file: ../env/.env
  bot2:
    image: registry.invalid/bot:1
`

type opsRepo struct {
	t      *testing.T
	dir    string
	log    string
	envOld []byte
	// bitget is the stand-in exchange: it knows BOT1's old key (live) and
	// its new one (trade-only, allowlisted), so stage's audit passes.
	bitget *fixture.Bitget
	clock  *fakeClock
}

// fakeClock is the rotation's clock in these tests: waiting moves it
// instead of sleeping, and the stand-in stamps its reports with it.
type fakeClock struct {
	now time.Time
	// slept is the total time waited; onSleep runs after each wait (a
	// service that reports late, say).
	slept   time.Duration
	onSleep func(now time.Time)
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(d time.Duration) {
	c.now = c.now.Add(d)
	c.slept += d
	os.Setenv("STANDIN_NOW", c.now.UTC().Format(time.RFC3339))
	if c.onSleep != nil {
		c.onSleep(c.now)
	}
}

// newOpsRepo lays out the policy's trading-ops repository with BOT1's old
// keys, and puts the stand-ins on PATH.
func newOpsRepo(t *testing.T) *opsRepo {
	dir := t.TempDir()
	env := "# trading bots (synthetic values)\r\n" +
		"export BOT1_BITGET_API_KEY=" + oldKey + "\r\n" +
		"BOT1_BITGET_API_SECRET=\"" + oldSecret + "\" # rotated quarterly\r\n" +
		"BOT1_BITGET_PASSPHRASE='" + oldPass + "'\r\n" +
		"\r\n" +
		"BOT2_BITGET_API_KEY=bg_2222333344445555666677778888aaaa\r\n" +
		"REDIS_PASSWORD=Harbor7Tide5Dga\r\n"
	fixture.Write(t, dir, "env/.env", env)
	require.NoError(t, os.Chmod(filepath.Join(dir, "env/.env"), 0o600))
	fixture.Write(t, dir, "config/exchange_account_map.json", `{"BOT1": {"exchange": "bitget", "account": "main"}, "BOT2": {"exchange": "bitget"}}`)
	fixture.Write(t, dir, "compose/docker-compose.yml", composeFile)
	fixture.Write(t, dir, "docs/runbook.md", "Rotate with keygate rotate.\n")
	fixture.Write(t, dir, "scripts/ops/soft_pause", standInPause)
	fixture.Write(t, dir, "scripts/ops/kill_switch", standInPause)
	bin := t.TempDir()
	fixture.Write(t, bin, "docker", standInDocker)
	for _, p := range []string{filepath.Join(bin, "docker"), filepath.Join(dir, "scripts/ops/soft_pause"), filepath.Join(dir, "scripts/ops/kill_switch")} {
		require.NoError(t, os.Chmod(p, 0o755))
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	log := filepath.Join(t.TempDir(), "standin.log")
	t.Setenv("STANDIN_LOG", log)
	for _, k := range []string{"STANDIN_HEALTH", "STANDIN_WRITES", "STANDIN_RECON", "STANDIN_DRIFT", "STANDIN_EXIT",
		"STANDIN_SOFT_PAUSE_EXIT", "STANDIN_KILL_SWITCH_EXIT"} {
		t.Setenv(k, "")
	}
	clock := &fakeClock{now: time.Now().UTC().Truncate(time.Second)}
	t.Setenv("STANDIN_NOW", clock.now.Format(time.RFC3339))
	adjustRotator = func(r *rotate.Rotator) { r.Now, r.Sleep = clock.Now, clock.Sleep }
	t.Cleanup(func() { adjustRotator = nil })
	return &opsRepo{t: t, dir: dir, log: log, envOld: []byte(env), clock: clock, bitget: newBitgetStandIn(t)}
}

// writeReports writes healthy reports stamped at, as the services would
// once they are up.
func (o *opsRepo) writeReports(at time.Time) {
	stamp := at.UTC().Format(time.RFC3339)
	fixture.Write(o.t, o.dir, "reports/exchange_snapshots/latest.json",
		`{"generated_at": "`+stamp+`", "probes": [{"bot": "BOT1", "status": "ok"}]}`)
	fixture.Write(o.t, o.dir, "reports/reconciliation/latest.json", `{"generated_at": "`+stamp+`", "status": "ok", "drift": []}`)
}

func (o *opsRepo) rotate(stdin string, args ...string) cliResult {
	o.t.Helper()
	return runCLI(o.t, o.dir, strings.NewReader(stdin), append([]string{"rotate"}, args...)...)
}

func (o *opsRepo) env() []byte {
	data, err := os.ReadFile(filepath.Join(o.dir, "env/.env"))
	require.NoError(o.t, err)
	return data
}

func (o *opsRepo) standInLog() []string {
	data, _ := os.ReadFile(o.log)
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// assertNoValues searches every output and every file keygate wrote (all
// but the credential store itself: env/.env and its backup) for the old and
// new values in every encoding.
func (o *opsRepo) assertNoValues(outputs ...cliResult) {
	o.t.Helper()
	check := func(where, s string) {
		for i, v := range rotationValues {
			for j, form := range detector.Variants(v) {
				if strings.Contains(s, form) {
					o.t.Errorf("%s holds rotation value #%d (form #%d)", where, i, j)
				}
			}
		}
	}
	for _, r := range outputs {
		check("stdout", r.stdout)
		check("stderr", r.stderr)
	}
	require.NoError(o.t, filepath.WalkDir(o.dir, func(path string, d fs.DirEntry, err error) error {
		require.NoError(o.t, err)
		rel, _ := filepath.Rel(o.dir, path)
		if d.IsDir() || rel == filepath.FromSlash("env/.env") || rel == filepath.FromSlash(".keygate/env.backup") {
			return nil
		}
		data, err := os.ReadFile(path)
		require.NoError(o.t, err)
		check(rel, string(data))
		return nil
	}))
}

func TestRotateHappyPath(t *testing.T) {
	o := newOpsRepo(t)
	stage := o.rotate(newKeys, "stage", "--bot", "bot1", "--owner", "alice", "--keys-from", "-")
	require.Equal(t, exitPass, stage.code, stage.combined)
	assert.Contains(t, stage.stdout, "BOT1_BITGET_API_KEY: ****dddd -> ****cccc")

	// Only the three values changed; every other byte, comment, quote
	// style, CRLF and order is kept.
	want := strings.NewReplacer(oldKey, newKey, oldSecret, newSecret, oldPass, newPass).Replace(string(o.envOld))
	assert.Equal(t, want, string(o.env()))
	st, err := os.Stat(filepath.Join(o.dir, "env/.env"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	backup, err := os.ReadFile(filepath.Join(o.dir, ".keygate/env.backup"))
	require.NoError(t, err)
	assert.Equal(t, o.envOld, backup)
	bst, _ := os.Stat(filepath.Join(o.dir, ".keygate/env.backup"))
	assert.Equal(t, os.FileMode(0o600), bst.Mode().Perm())

	// Idempotent: staging the same keys again is a no-op.
	again := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
	assert.Equal(t, exitPass, again.code, again.combined)
	assert.Contains(t, again.stdout, "already staged")

	cut := o.rotate("", "cutover")
	require.Equal(t, exitPass, cut.code, cut.combined)
	assert.Equal(t, []string{"docker compose --env-file env/.env -f compose/docker-compose.yml up -d --force-recreate exchange-snapshot-service bot1 env=" +
		shaPrefix(o.env())}, o.standInLog(), "exactly the snapshot service and the bot, after the env file changed")
	assert.Contains(t, cut.stdout, "BOT1_BITGET_API_SECRET=\"****cccc\"", "compose output is redacted")

	val := o.rotate("", "validate", "--timeout", "10s", "--poll-interval", "50ms")
	require.Equal(t, exitPass, val.code, val.combined)
	assert.Contains(t, val.stdout, "within the 5m0s SLO")

	status := o.rotate("", "status")
	assert.Contains(t, status.stdout, "step: validated")
	assert.Contains(t, status.stdout, "env/.env holds the NEW keys")
	assert.Contains(t, status.stdout, "audit of the new key: ****cccc accepted: spot trade, futures orders")

	// Finalize proves the revocation at the exchange.
	fin := o.rotate("", "finalize")
	assert.Equal(t, exitFail, fin.code, fin.combined)
	assert.Contains(t, fin.stderr, "the old key of BOT1 is still accepted: revoke it at the exchange")
	still := o.rotate("", "finalize", "--old-keys-revoked")
	assert.Equal(t, exitFail, still.code, "an attestation does not overrule the exchange")
	o.bitget.Revoke(oldKey)
	fin = o.rotate("", "finalize")
	require.Equal(t, exitPass, fin.code, fin.combined)
	assert.Contains(t, fin.stdout, "the old key of BOT1 is revoked: Bitget rejects the old key ****dddd")
	assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/env.backup"))
	assert.Contains(t, fin.stdout, "hygiene scan: keygate: pass")

	rec, err := os.ReadFile(filepath.Join(o.dir, "reports/security/rotations.jsonl"))
	require.NoError(t, err)
	var r struct {
		Owner  string   `json:"owner"`
		Bots   []string `json:"bots"`
		SLOMet bool     `json:"slo_met"`
		Vars   []struct {
			Name, OldMasked, NewMasked string
		} `json:"vars"`
		Evidence   []string `json:"evidence"`
		Revocation string   `json:"revocation"`
		Audit      struct {
			Result struct {
				Verdict       string `json:"verdict"`
				IPAllowlistOn bool   `json:"ip_allowlist_on"`
				Permissions   []struct {
					Code string `json:"code"`
				} `json:"permissions"`
			} `json:"result"`
		} `json:"audit"`
	}
	require.NoError(t, json.Unmarshal(bytes.TrimSpace(rec), &r))
	assert.Equal(t, "alice", r.Owner)
	assert.Equal(t, []string{"BOT1"}, r.Bots)
	assert.True(t, r.SLOMet)
	assert.Len(t, r.Vars, 3)
	assert.Contains(t, r.Evidence, "reports/exchange_snapshots/latest.json")
	assert.Equal(t, "verified", r.Revocation)
	assert.Equal(t, "accepted", r.Audit.Result.Verdict, "the record carries the new key's audit")
	assert.True(t, r.Audit.Result.IPAllowlistOn)
	assert.Len(t, r.Audit.Result.Permissions, len(fixture.TradeOnly))

	// A finished rotation frees the way for the next.
	status = o.rotate("", "status")
	assert.Contains(t, status.stdout, "step: finalized")
	o.assertNoValues(stage, again, cut, val, status, fin, still)
}

func shaPrefix(b []byte) string {
	cmd := exec.Command("sha256sum")
	cmd.Stdin = bytes.NewReader(b)
	o, _ := cmd.Output()
	return string(o[:16])
}

func TestRotateRejectsBadKeys(t *testing.T) {
	o := newOpsRepo(t)
	tests := []struct {
		name, keys, bot, want string
	}{
		{"another bot's variable", newKeys + "BOT2_BITGET_API_KEY=bg_1111222233334444555566667777ffff\n", "BOT1", "BOT2_BITGET_API_KEY is not a variable of BOT1"},
		{"missing part of the triple", "BOT1_BITGET_API_KEY=" + newKey + "\n", "BOT1", "missing BOT1_BITGET_API_SECRET, BOT1_BITGET_PASSPHRASE"},
		{"implausible key", strings.Replace(newKeys, newKey, "bg_short", 1), "BOT1", "does not look like a Bitget API key"},
		{"implausible secret", strings.Replace(newKeys, newSecret, "nothex", 1), "BOT1", "does not look like a Bitget API secret"},
		{"passphrase too short to be searched", strings.Replace(newKeys, newPass, "Reef9x", 1), "BOT1", "BOT1_BITGET_PASSPHRASE is shorter than 8 characters"},
		{"same as old", strings.Replace(newKeys, newPass, oldPass, 1), "BOT1", "BOT1_BITGET_PASSPHRASE is the same as the current value"},
		{"not in the account map", strings.ReplaceAll(newKeys, "BOT1_", "BOT7_"), "BOT7", "does not map BOT7"},
		{"malformed line", "BOT1_BITGET_API_KEY\n", "BOT1", "stdin:1: expected KEY=VALUE"},
		{"bad bot", newKeys, "trader", "want a bot prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := o.rotate(tt.keys, "stage", "--bot", tt.bot, "--owner", "alice", "--keys-from", "-")
			assert.Equal(t, exitUsage, res.code, res.combined)
			assert.Contains(t, res.stderr, tt.want)
			assert.Equal(t, o.envOld, o.env(), "the env file is untouched")
			o.assertNoValues(res)
		})
	}
	fixture.Write(t, o.dir, "config/exchange_account_map.json", "{not json")
	res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "is not valid JSON")
	res = o.rotate("", "stage", "--bot", "BOT1", "--owner", "alice")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "--keys-from is required")
}

func TestRotateUnhealthyThenRollback(t *testing.T) {
	o := newOpsRepo(t)
	t.Setenv("STANDIN_HEALTH", "error")
	res := o.rotate(newKeys, "run", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-", "--timeout", "1s", "--poll-interval", "50ms")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, `the snapshot probe of BOT1 is "error", not ok`)
	assert.Contains(t, res.stderr, "roll back with: keygate rotate rollback")
	status := o.rotate("", "status")
	assert.Contains(t, status.stdout, "step: failed")

	t.Setenv("STANDIN_HEALTH", "ok")
	rb := o.rotate("", "rollback", "--timeout", "10s", "--poll-interval", "50ms")
	require.Equal(t, exitPass, rb.code, rb.combined)
	assert.Equal(t, o.envOld, o.env(), "restored byte for byte")
	log := o.standInLog()
	require.Len(t, log, 2, "cutover, then recreate on rollback")
	assert.True(t, strings.HasSuffix(log[1], "env="+shaPrefix(o.envOld)), "the rollback recreate saw the old env file")
	assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/env.backup"))
	o.assertNoValues(res, status, rb)

	// Critical reconciliation drift fails validation too.
	t.Setenv("STANDIN_DRIFT", "critical")
	res = o.rotate(newKeys, "run", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-", "--timeout", "1s", "--poll-interval", "50ms")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "critical reconciliation drift for BOT1")
}

func TestRotateTimeoutAutoRollback(t *testing.T) {
	o := newOpsRepo(t)
	t.Setenv("STANDIN_WRITES", "no yes") // no report after the cutover, on time after the rollback
	res := o.rotate(newKeys, "run", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-", "--timeout", "1m", "--poll-interval", "100ms", "--auto-rollback")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "no report yet (reports/exchange_snapshots/latest.json) (after waiting 1m0s)")
	assert.Contains(t, res.stderr, "rolled back to the previous keys")
	assert.Equal(t, o.envOld, o.env())
	assert.GreaterOrEqual(t, o.clock.slept, 50*time.Second, "validation waited out (most of) the timeout on the rotation's clock")
	assert.Len(t, o.standInLog(), 2, "cutover, then the rollback's recreate")
	status := o.rotate("", "status")
	assert.Contains(t, status.stdout, "step: rolled_back")
	o.assertNoValues(res, status)
}

// Reports that arrive late but within the timeout: validate waits (with
// back-off) and passes, and the interruption counts the wait.
func TestRotateLateButHealthy(t *testing.T) {
	o := newOpsRepo(t)
	t.Setenv("STANDIN_WRITES", "no")
	o.clock.onSleep = func(now time.Time) {
		if o.clock.slept >= 30*time.Second {
			o.writeReports(now)
		}
	}
	res := o.rotate(newKeys, "run", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-", "--timeout", "2m", "--poll-interval", "1s")
	assert.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "waiting: no report yet")
	// 1+2+4+8+10+10 s of back-off: healthy after 35 s.
	assert.Contains(t, res.stdout, "validated BOT1: interruption 35s, within the 5m0s SLO")
}

func TestRotateSecondRotationRefused(t *testing.T) {
	o := newOpsRepo(t)
	res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
	require.Equal(t, exitPass, res.code, res.combined)
	keys2 := "BOT2_BITGET_API_KEY=bg_1111222233334444555566667777ffff\nBOT2_BITGET_API_SECRET=" + strings.Repeat("ab", 32) + "\nBOT2_BITGET_PASSPHRASE=Bot2Pass8Kelp\n"
	res = o.rotate(keys2, "stage", "--bot", "BOT2", "--owner", "bob", "--keys-from", "-")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "a rotation of BOT1 is in progress (step staged")
	res = o.rotate("", "validate")
	assert.Equal(t, exitFail, res.code, "validate needs a cutover first")
	assert.Contains(t, res.stderr, "at step staged")
}

// Environment of the test binary run as keygate (childCLI).
const (
	childCLIEnv = "KEYGATE_TEST_CHILD_CLI"
	pauseAtEnv  = "KEYGATE_TEST_PAUSE_AT"
)

// childCLI runs this test binary as keygate in a process of its own, for
// tests that kill it or race several: the release binary has no pause
// point, the test binary does (see runChildCLI).
func childCLI(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childCLIEnv+"=1")
	return cmd
}

// runChildCLI is TestMain's path when the binary runs as keygate: with
// KEYGATE_TEST_PAUSE_AT set to a checkpoint, the process says so on stderr
// and waits there to be killed.
func runChildCLI() int {
	if point := os.Getenv(pauseAtEnv); point != "" {
		adjustRotator = func(r *rotate.Rotator) {
			r.Checkpoint = func(at string) {
				if at == point {
					fmt.Fprintf(os.Stderr, "keygate-test-paused:%s\n", at)
					select {}
				}
			}
		}
	}
	return run(context.Background(), os.Args[1:], streams{in: os.Stdin, out: os.Stdout, err: os.Stderr})
}

// startPaused runs `keygate rotate stage` as a separate process that stops
// at a named point, and returns it once it is there.
func startPaused(t *testing.T, o *opsRepo, point string) *exec.Cmd {
	cmd := childCLI("-C", o.dir, "rotate", "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
	cmd.Stdin = strings.NewReader(newKeys)
	cmd.Env = append(cmd.Env, pauseAtEnv+"="+point)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	reached := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if sc.Text() == "keygate-test-paused:"+point {
				reached <- true
				return
			}
		}
		reached <- false
	}()
	select {
	case ok := <-reached:
		require.True(t, ok, "the process reached %s", point)
	case <-time.After(30 * time.Second):
		t.Fatal("timed out waiting for the pause point")
	}
	return cmd
}

// A real SIGKILL at each point of staging: the env file is old or new,
// never partial; status tells which; the next command resumes or rolls
// back cleanly; a lock held by a live process stops a second command.
func TestRotateCrashSafety(t *testing.T) {
	t.Run("killed after backup, before rename", func(t *testing.T) {
		o := newOpsRepo(t)
		cmd := startPaused(t, o, "before-rename")
		busy := o.rotate("", "cutover")
		assert.Equal(t, exitFail, busy.code)
		assert.Contains(t, busy.stderr, "another keygate rotate (pid")
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()

		assert.Equal(t, o.envOld, o.env(), "the env file is the old one, whole")
		status := o.rotate("", "status")
		assert.Contains(t, status.stdout, "step: staging")
		assert.Contains(t, status.stdout, "holds the OLD keys")
		assert.Contains(t, status.stdout, "died holding the lock")

		res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
		require.Equal(t, exitPass, res.code, "stage resumes: %s", res.combined)
		assert.Contains(t, string(o.env()), newKey)
		assert.Contains(t, o.rotate("", "status").stdout, "step: staged")
	})
	t.Run("killed after rename, before the state is recorded", func(t *testing.T) {
		o := newOpsRepo(t)
		cmd := startPaused(t, o, "after-rename")
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()
		assert.Contains(t, string(o.env()), newKey, "the env file is the new one, whole")
		assert.NotContains(t, string(o.env()), oldKey)
		status := o.rotate("", "status")
		assert.Contains(t, status.stdout, "holds the NEW keys")
		assert.Contains(t, status.stdout, "run the same `keygate rotate stage` again")

		rb := o.rotate("", "rollback")
		require.Equal(t, exitPass, rb.code, rb.combined)
		assert.Equal(t, o.envOld, o.env(), "rollback restores byte for byte")
		assert.Empty(t, strings.TrimSpace(strings.Join(o.standInLog(), "")), "nothing was cut over, so nothing is recreated")
	})
	t.Run("killed after backup only", func(t *testing.T) {
		o := newOpsRepo(t)
		cmd := startPaused(t, o, "after-backup")
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()
		assert.Equal(t, o.envOld, o.env())
		status := o.rotate("", "status")
		assert.Contains(t, status.stdout, "no rotation has been started here")
		assert.Contains(t, status.stdout, "the env file was not changed")
		res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
		assert.Equal(t, exitPass, res.code, res.combined)
	})
}

func TestBreakGlass(t *testing.T) {
	o := newOpsRepo(t)
	t.Setenv("STANDIN_SOFT_PAUSE_EXIT", "1") // soft_pause is not confirmed: kill_switch must run
	reason := "key " + oldKey + " seen in a chat log"
	res := o.rotate(newKeys, "break-glass", "--bot", "BOT1", "--owner", "alice", "--reason", reason, "--keys-from", "-",
		"--timeout", "10s", "--poll-interval", "50ms")
	require.Equal(t, exitPass, res.code, res.combined)
	log := o.standInLog()
	require.Len(t, log, 3)
	oldSHA := shaPrefix(o.envOld)
	assert.Equal(t, "soft_pause BOT1 env="+oldSHA, log[0], "pause before anything else")
	assert.Equal(t, "kill_switch BOT1 env="+oldSHA, log[1], "kill_switch when the pause is not confirmed")
	assert.True(t, strings.HasPrefix(log[2], "docker compose"), log[2])

	notes, err := filepath.Glob(filepath.Join(o.dir, "docs/incidents/*-bot1-break-glass.md"))
	require.NoError(t, err)
	require.Len(t, notes, 1)
	note, err := os.ReadFile(notes[0])
	require.NoError(t, err)
	for _, want := range []string{"Timestamp (UTC): ", "Impacted bots: BOT1", "Owner: alice", "Reason: key ****dddd seen in a chat log",
		"Safe mode: kill_switch (confirmed: true)", "BOT1_BITGET_API_KEY: ****dddd (revoke at the exchange) -> ****cccc",
		"reports/exchange_snapshots/latest.json", "reports/reconciliation/latest.json", "validated; interruption"} {
		assert.Contains(t, string(note), want)
	}
	st := o.rotate("", "status")
	assert.Contains(t, st.stdout, "(break-glass) of BOT1")
	o.assertNoValues(res, st)
}

// The lock is visible only with its owner in it: a stage stopped the
// moment its lock appeared still holds it against a second stage.
func TestRotateLockVisibleWithOwner(t *testing.T) {
	o := newOpsRepo(t)
	cmd := startPaused(t, o, "lock-taken")
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}()
	res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "bob", "--keys-from", "-")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, fmt.Sprintf("another keygate rotate (pid %d) holds", cmd.Process.Pid))
	assert.Equal(t, o.envOld, o.env())
}

// Thirty `rotate stage` processes, each with keys of its own, started at
// once: exactly one succeeds, every other is refused (exit 1), and the
// state records the keys env/.env holds.
func TestRotateConcurrentStages(t *testing.T) {
	testmode.RequireFull(t, "races 30 rotate processes")
	o := newOpsRepo(t)
	const n = 30
	type result struct {
		i    int
		code int
		out  string
	}
	keysOf := func(i int) string {
		tail := fmt.Sprintf("%02x", i)
		return "BOT1_BITGET_API_KEY=" + newKey[:len(newKey)-2] + tail + "\nBOT1_BITGET_API_SECRET=" + newSecret[:len(newSecret)-2] + tail +
			"\nBOT1_BITGET_PASSPHRASE=" + newPass + tail + "\n"
	}
	start := make(chan struct{})
	results := make(chan result, n)
	for i := 0; i < n; i++ {
		tail := fmt.Sprintf("%02x", i)
		o.bitget.Add(newKey[:len(newKey)-2]+tail, fixture.BitgetAccount{Secret: newSecret[:len(newSecret)-2] + tail, Passphrase: newPass + tail,
			Authorities: fixture.TradeOnly, IPs: "203.0.113.7"})
	}
	for i := 0; i < n; i++ {
		cmd := childCLI("-C", o.dir, "rotate", "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
		cmd.Stdin = strings.NewReader(keysOf(i))
		go func() {
			<-start
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				code = -1
			}
			results <- result{i, code, string(out)}
		}()
	}
	close(start)
	winner := -1
	for range n {
		r := <-results
		switch r.code {
		case exitPass:
			assert.Equal(t, -1, winner, "two stages succeeded: %d and %d", winner, r.i)
			winner = r.i
		case exitFail:
			assert.Regexp(t, `another keygate rotate \(pid \d+\) holds|is staged with other keys than these`, r.out)
		default:
			t.Errorf("stage %d exited %d: %s", r.i, r.code, r.out)
		}
	}
	require.NotEqual(t, -1, winner, "one stage succeeds")
	var st struct {
		NewSHA256 string `json:"new_sha256"`
		Step      string `json:"step"`
	}
	require.NoError(t, json.Unmarshal([]byte(readString(t, filepath.Join(o.dir, ".keygate/rotation.json"))), &st))
	assert.Equal(t, "staged", st.Step)
	assert.Equal(t, shaHex(o.env()), st.NewSHA256, "the state records the keys the env file holds")
	assert.Contains(t, string(o.env()), newKey[:len(newKey)-2]+fmt.Sprintf("%02x", winner))
	assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/rotation.lock"))
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

func shaHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// A --keys-from file others may read is warned about (the rotation goes
// on); a 0600 file is not.
func TestRotateKeysFromPermissions(t *testing.T) {
	tests := []struct {
		mode os.FileMode
		want string
	}{
		{0o644, "is readable by every user (mode 0644): chmod 600 it"},
		{0o640, "is readable by its group (mode 0640): chmod 600 it"},
		{0o600, ""},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			o := newOpsRepo(t)
			keys := filepath.Join(t.TempDir(), "new-keys.env")
			require.NoError(t, os.WriteFile(keys, []byte(newKeys), 0o600))
			require.NoError(t, os.Chmod(keys, tt.mode))
			res := o.rotate("", "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", keys)
			require.Equal(t, exitPass, res.code, res.combined)
			if tt.want == "" {
				assert.NotContains(t, res.stderr, "warning")
			} else {
				assert.Contains(t, res.stderr, "keygate: warning: --keys-from "+keys+" "+tt.want)
			}
			o.assertNoValues(res)
		})
	}
}

// A symlinked env/.env: stage exits 2 naming the fix; the link stays.
func TestRotateSymlinkedEnvRefused(t *testing.T) {
	o := newOpsRepo(t)
	secrets := t.TempDir()
	target := filepath.Join(secrets, "bot.env")
	fixture.Write(t, secrets, "bot.env", string(o.envOld))
	envPath := filepath.Join(o.dir, "env/.env")
	require.NoError(t, os.Remove(envPath))
	require.NoError(t, os.Symlink(target, envPath))
	res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "env/.env is a symbolic link")
	fi, err := os.Lstat(envPath)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink)
	assert.Equal(t, o.envOld, o.env())
	o.assertNoValues(res)
}
