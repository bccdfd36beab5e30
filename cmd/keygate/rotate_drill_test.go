package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/fixture"
)

// drillRecord is a line of the rotations record, as a reader sees it.
type drillRecord struct {
	Kind          string    `json:"kind"`
	Owner         string    `json:"owner"`
	Bots          []string  `json:"bots"`
	Vars          []any     `json:"vars"`
	Services      []string  `json:"services"`
	FinalizedAt   time.Time `json:"finalized_at"`
	InterruptionS float64   `json:"interruption_seconds"`
	SLOMet        bool      `json:"slo_met"`
	Evidence      []string  `json:"evidence"`
}

func (o *opsRepo) records() []drillRecord {
	o.t.Helper()
	f, err := os.Open(filepath.Join(o.dir, "reports/security/rotations.jsonl"))
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(o.t, err)
	defer f.Close()
	var recs []drillRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r drillRecord
		require.NoError(o.t, json.Unmarshal(sc.Bytes(), &r))
		recs = append(recs, r)
	}
	return recs
}

func (o *opsRepo) envStat() os.FileInfo {
	o.t.Helper()
	fi, err := os.Stat(filepath.Join(o.dir, "env/.env"))
	require.NoError(o.t, err)
	return fi
}

// A drill recreates exactly the snapshot service and the bot, waits for
// fresh healthy reports, and records the interruption; env/.env is not
// written (same bytes, same mtime, same inode) and no rotation starts.
func TestRotateDrill(t *testing.T) {
	o := newOpsRepo(t)
	before := o.envStat()
	t.Setenv("STANDIN_WRITES", "no") // the services report 35 s after the recreate
	o.clock.onSleep = func(now time.Time) {
		if o.clock.slept >= 30*time.Second {
			o.writeReports(now)
		}
	}
	res := o.rotate("", "drill", "--bot", "bot1", "--owner", "alice", "--timeout", "2m", "--poll-interval", "1s")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "drill of BOT1: recreated [exchange-snapshot-service bot1] with the keys unchanged; healthy after 35s, within the 5m0s SLO")

	assert.Equal(t, []string{"docker compose --env-file env/.env -f compose/docker-compose.yml up -d --force-recreate exchange-snapshot-service bot1 env=" +
		shaPrefix(o.envOld)}, o.standInLog(), "exactly the snapshot service and the bot")
	assert.Equal(t, o.envOld, o.env(), "env/.env byte for byte")
	after := o.envStat()
	assert.Equal(t, before.ModTime(), after.ModTime(), "env/.env keeps its mtime")
	assert.True(t, os.SameFile(before, after), "env/.env is the same file")
	assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/rotation.json"), "a drill starts no rotation")
	assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/env.backup"))

	recs := o.records()
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, "drill", r.Kind)
	assert.Equal(t, "alice", r.Owner)
	assert.Equal(t, []string{"BOT1"}, r.Bots)
	assert.Empty(t, r.Vars)
	assert.Equal(t, []string{"exchange-snapshot-service", "bot1"}, r.Services)
	assert.InDelta(t, 35, r.InterruptionS, 0.01)
	assert.True(t, r.SLOMet)
	assert.Equal(t, []string{"reports/exchange_snapshots/latest.json", "reports/reconciliation/latest.json"}, r.Evidence)
	assert.Contains(t, o.rotate("", "status").stdout, "no rotation has been started here")
	o.assertNoValues(res)
}

// An unhealthy drill exits 1 naming the evidence, and records nothing.
func TestRotateDrillUnhealthy(t *testing.T) {
	o := newOpsRepo(t)
	t.Setenv("STANDIN_HEALTH", "error")
	res := o.rotate("", "drill", "--bot", "BOT1", "--owner", "alice", "--timeout", "1m")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, `drill of BOT1: validation failed: the snapshot probe of BOT1 is "error", not ok`)
	assert.Contains(t, res.stderr, "evidence: reports/exchange_snapshots/latest.json, reports/reconciliation/latest.json")
	assert.Empty(t, o.records(), "a failed drill records nothing")
	assert.Equal(t, o.envOld, o.env())
	assert.NoFileExists(t, filepath.Join(o.dir, ".keygate/rotation.json"))
	o.assertNoValues(res)
}

// A drill refuses while a rotation is in progress, without recreating
// anything; and it needs an owner and a mapped bot.
func TestRotateDrillRefusals(t *testing.T) {
	o := newOpsRepo(t)
	res := o.rotate("", "drill", "--bot", "BOT1")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "--owner: an owner is required (or rotate.owner in .keygate.yaml)")
	res = o.rotate("", "drill", "--bot", "BOT7", "--owner", "alice")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "does not map BOT7")

	stage := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
	require.Equal(t, exitPass, stage.code, stage.combined)
	staged := o.env()
	res = o.rotate("", "drill", "--bot", "BOT1", "--owner", "alice")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "a rotation of BOT1 is in progress (step staged)")
	assert.Equal(t, []string{""}, o.standInLog(), "nothing was recreated")
	assert.Equal(t, staged, o.env())
	assert.Empty(t, o.records())

	// rotate.owner in the configuration stands in for --owner.
	o2 := newOpsRepo(t)
	fixture.Write(t, o2.dir, ".keygate.yaml", "rotate:\n  owner: carol\n")
	res = o2.rotate("", "drill", "--bot", "BOT1")
	require.Equal(t, exitPass, res.code, res.combined)
	require.Len(t, o2.records(), 1)
	assert.Equal(t, "carol", o2.records()[0].Owner)
}

// checkLine finds the line of check id in text output.
func checkLine(out, id string) string {
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 5 && strings.HasPrefix(l[5:], id+": ") {
			return l
		}
	}
	return ""
}

// healthyKey makes BOT1's current key least-privilege at the stand-in
// exchange (newOpsRepo's has the withdraw permission).
func (o *opsRepo) healthyKey() {
	o.bitget.Add(oldKey, fixture.BitgetAccount{Secret: oldSecret, Passphrase: oldPass, Authorities: fixture.TradeOnly, IPs: "203.0.113.7"})
}

// rotate check passes on a healthy layout and changes nothing.
func TestRotateCheckHealthy(t *testing.T) {
	o := newOpsRepo(t)
	o.healthyKey()
	before := o.envStat()
	res := o.rotate("", "check", "--bot", "BOT1", "--owner", "alice")
	require.Equal(t, exitPass, res.code, res.combined)
	for _, id := range []string{"env-file", "env-mode", "keys:BOT1", "account-map:BOT1", "compose-file", "compose-services:BOT1",
		"soft-pause", "kill-switch", "state-dir", "rotation", "owner"} {
		assert.True(t, strings.HasPrefix(checkLine(res.stdout, id), "ok   "), "%s passes:\n%s", id, res.stdout)
	}
	assert.Equal(t, "WARN drill:BOT1: no drill of BOT1 recorded -> keygate rotate drill --bot BOT1 in a planned restart window", checkLine(res.stdout, "drill:BOT1"))
	assert.Contains(t, checkLine(res.stdout, "exchange:BOT1"), "ok   exchange:BOT1: Bitget accepts BOT1's key ****dddd (spot trade, futures orders")
	assert.Contains(t, res.stdout, "keygate: rotate check: pass (13 checks, 1 warnings)")
	assert.NoDirExists(t, filepath.Join(o.dir, ".keygate"), "check creates nothing")
	assert.True(t, os.SameFile(before, o.envStat()))
	assert.Empty(t, strings.TrimSpace(strings.Join(o.standInLog(), "")), "check runs no command")

	// After a drill, its age shows; past rotate.drill_max_age it warns.
	drill := o.rotate("", "drill", "--bot", "BOT1", "--owner", "alice")
	require.Equal(t, exitPass, drill.code, drill.combined)
	o.clock.now = o.clock.now.Add(3 * time.Hour)
	res = o.rotate("", "check", "--bot", "BOT1", "--owner", "alice", "--format", "json")
	require.Equal(t, exitPass, res.code, res.combined)
	var js struct {
		Status     string `json:"status"`
		LastDrills []struct {
			Bot        string     `json:"bot"`
			At         *time.Time `json:"at"`
			AgeSeconds float64    `json:"age_seconds"`
		} `json:"last_drills"`
		Checks []struct{ ID, Status, Message, Fix string } `json:"checks"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &js))
	assert.Equal(t, "pass", string(js.Status))
	require.Len(t, js.LastDrills, 1)
	assert.Equal(t, "BOT1", js.LastDrills[0].Bot)
	assert.InDelta(t, 3*3600, js.LastDrills[0].AgeSeconds, 1)

	o.clock.now = o.clock.now.Add(31 * 24 * time.Hour)
	res = o.rotate("", "check", "--bot", "BOT1", "--owner", "alice")
	require.Equal(t, exitPass, res.code, "an old drill warns, it does not fail")
	assert.Contains(t, checkLine(res.stdout, "drill:BOT1"), "WARN drill:BOT1: last drill of BOT1 31d ago (")
	assert.Contains(t, checkLine(res.stdout, "drill:BOT1"), "older than rotate.drill_max_age 30d -> keygate rotate drill --bot BOT1")
	o.assertNoValues(res, drill)
}

// Each missing piece fails the check, naming the item and the fix.
func TestRotateCheckFailures(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(o *opsRepo)
		want    string
	}{
		{"missing soft_pause", func(o *opsRepo) { require.NoError(t, os.Remove(filepath.Join(o.dir, "scripts/ops/soft_pause"))) },
			"FAIL soft-pause: scripts/ops/soft_pause is missing -> install it, or set rotate.soft_pause_argv"},
		{"soft_pause not executable", func(o *opsRepo) { require.NoError(t, os.Chmod(filepath.Join(o.dir, "scripts/ops/soft_pause"), 0o644)) },
			"FAIL soft-pause: scripts/ops/soft_pause is not executable -> chmod +x scripts/ops/soft_pause"},
		{"kill_switch missing", func(o *opsRepo) { require.NoError(t, os.Remove(filepath.Join(o.dir, "scripts/ops/kill_switch"))) },
			"FAIL kill-switch: scripts/ops/kill_switch is missing"},
		{"unmapped bot", func(o *opsRepo) {
			fixture.Write(t, o.dir, "config/exchange_account_map.json", `{"BOT2": {"exchange": "bitget"}}`)
		}, "FAIL account-map:BOT1: account map config/exchange_account_map.json does not map BOT1"},
		{"compose without the bot's service", func(o *opsRepo) {
			fixture.Write(t, o.dir, "compose/docker-compose.yml", "services:\n  exchange-snapshot-service: {}\n  bot2: {}\n")
		}, "FAIL compose-services:BOT1: compose/docker-compose.yml has no service bot1"},
		{"compose file missing", func(o *opsRepo) { require.NoError(t, os.Remove(filepath.Join(o.dir, "compose/docker-compose.yml"))) },
			"FAIL compose-file: compose/docker-compose.yml is missing"},
		{"env file 0644", func(o *opsRepo) { require.NoError(t, os.Chmod(filepath.Join(o.dir, "env/.env"), 0o644)) },
			"FAIL env-mode: env/.env is mode 0644, not 0600 -> chmod 600 env/.env"},
		{"env file missing", func(o *opsRepo) { require.NoError(t, os.Remove(filepath.Join(o.dir, "env/.env"))) },
			"FAIL env-file: env/.env is missing"},
		{"incomplete triple", func(o *opsRepo) {
			fixture.Write(t, o.dir, "env/.env", "BOT1_BITGET_API_KEY="+oldKey+"\nBOT1_BITGET_API_SECRET="+oldSecret+"\n")
			require.NoError(t, os.Chmod(filepath.Join(o.dir, "env/.env"), 0o600))
		}, "FAIL keys:BOT1: missing BOT1_BITGET_PASSPHRASE in env/.env"},
		{"malformed key", func(o *opsRepo) {
			fixture.Write(t, o.dir, "env/.env", strings.Replace(string(o.envOld), oldKey, "bg_123", 1))
			require.NoError(t, os.Chmod(filepath.Join(o.dir, "env/.env"), 0o600))
		}, "FAIL keys:BOT1: BOT1_BITGET_API_KEY does not look like a Bitget API key"},
		{"half-done rotation", func(o *opsRepo) {
			res := o.rotate(newKeys, "stage", "--bot", "BOT1", "--owner", "alice", "--keys-from", "-")
			require.Equal(t, exitPass, res.code, res.combined)
		}, "FAIL rotation: a rotation of BOT1 is half done (step staged) -> keygate rotate status, then finish it or keygate rotate rollback"},
		{"no owner", func(o *opsRepo) {}, "FAIL owner: no break-glass owner configured -> set rotate.owner in .keygate.yaml (or pass --owner)"},
		{"key revoked at the exchange", func(o *opsRepo) { o.bitget.Revoke(oldKey) }, "FAIL exchange:BOT1: Bitget rejects BOT1's key ****dddd: "},
		{"key with withdraw", func(o *opsRepo) {
			o.bitget.Add(oldKey, fixture.BitgetAccount{Secret: oldSecret, Passphrase: oldPass, Authorities: []string{"stow", "wwow"}, IPs: "203.0.113.7"})
		}, "FAIL exchange:BOT1: Bitget answers, but the key of BOT1 has the withdraw permission (wwow)"},
		{"exchange unreachable", func(o *opsRepo) {
			o.t.Setenv(bitget.EnvBaseURL, "http://127.0.0.1:1")
			oneBitgetAttempt(o.t, o.dir)
		}, "FAIL exchange:BOT1: Bitget could not be asked about BOT1's key ****dddd: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOpsRepo(t)
			o.healthyKey()
			args := []string{"check", "--bot", "BOT1", "--owner", "alice"}
			if tt.name == "no owner" {
				args = args[:3]
			}
			tt.breakIt(o)
			res := o.rotate("", args...)
			assert.Equal(t, exitFail, res.code, res.combined)
			assert.Contains(t, "\n"+res.stdout, "\n"+tt.want)
			assert.Contains(t, res.stdout, "keygate: rotate check: fail, ")
			o.assertNoValues(res)

			js := o.rotate("", append(args, "--format", "json")...)
			assert.Equal(t, exitFail, js.code)
			var out struct {
				Status string `json:"status"`
			}
			require.NoError(t, json.Unmarshal([]byte(js.stdout), &out), js.stdout)
			assert.Equal(t, "fail", string(out.Status))
		})
	}
}

// Without --bot, every bot with Bitget variables in the env file is
// checked: BOT2 has only a key, so its triple fails.
func TestRotateCheckAllBots(t *testing.T) {
	o := newOpsRepo(t)
	res := o.rotate("", "check", "--owner", "alice")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.True(t, strings.HasPrefix(checkLine(res.stdout, "keys:BOT1"), "ok   "), res.stdout)
	assert.Equal(t, "FAIL keys:BOT2: missing BOT2_BITGET_API_SECRET, BOT2_BITGET_PASSPHRASE in env/.env -> add BOT2's whole Bitget triple (key, secret, passphrase)",
		checkLine(res.stdout, "keys:BOT2"))
	assert.True(t, strings.HasPrefix(checkLine(res.stdout, "compose-services:BOT2"), "ok   "), res.stdout)
	bad := o.rotate("", "check", "--format", "yaml")
	assert.Equal(t, exitUsage, bad.code)
	assert.Contains(t, bad.stderr, `--format "yaml": want text or json`)
	fixture.Write(t, o.dir, ".keygate.yaml", "rotate:\n  drill_max_age: soon\n")
	bad = o.rotate("", "check", "--owner", "alice")
	assert.Equal(t, exitUsage, bad.code)
	assert.Contains(t, bad.stderr, `rotate.drill_max_age "soon" in the configuration: want a positive duration such as 36h or 30d`)
	o.assertNoValues(res)
}
