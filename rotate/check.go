package rotate

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/internal/rootpath"
	"github.com/keygate/keygate/keyaudit"
	"github.com/keygate/keygate/report"
)

// CheckStatus is the outcome of one readiness check.
type CheckStatus string

// Outcomes of a check. Warn and skip do not fail `rotate check`.
const (
	CheckPass CheckStatus = "pass"
	CheckWarn CheckStatus = "warn"
	CheckFail CheckStatus = "fail"
	CheckSkip CheckStatus = "skip"
)

// CheckItem is one line of `rotate check`: what was checked and, when it
// is not ready, what to fix. It names files and variables, never values.
type CheckItem struct {
	ID      string      `json:"id"`
	Status  CheckStatus `json:"status"`
	Message string      `json:"message"`
	Fix     string      `json:"fix,omitempty"`
}

// DrillAge is the last drill of a bot, for the promotion job.
type DrillAge struct {
	Bot        string     `json:"bot"`
	At         *time.Time `json:"at"` // nil: never drilled
	AgeSeconds float64    `json:"age_seconds,omitempty"`
	SLOMet     bool       `json:"slo_met,omitempty"`
}

// CheckResult is the whole readiness check.
type CheckResult struct {
	Status     CheckStatus `json:"status"` // pass or fail
	Bots       []string    `json:"bots"`
	LastDrills []DrillAge  `json:"last_drills"`
	Checks     []CheckItem `json:"checks"`
}

// CheckInput is what a check needs.
type CheckInput struct {
	Bot   string // empty: every bot with Bitget variables in the env file
	Owner string // the break-glass owner, when not in the configuration
}

// Check verifies, without side effects, everything the runbook and the
// break-glass path need. Bad configuration is an error; everything else is
// an item of the result.
func (r *Rotator) Check(in CheckInput) (*CheckResult, error) {
	maxAge, err := report.ParseMaxAge(r.Config.Rotate.DrillMaxAge)
	if err != nil {
		return nil, fmt.Errorf("rotate.drill_max_age %q in the configuration: want a positive duration such as 36h or 30d", r.Config.Rotate.DrillMaxAge)
	}
	res := &CheckResult{}
	add := func(id string, st CheckStatus, msg, fix string) {
		res.Checks = append(res.Checks, CheckItem{ID: id, Status: st, Message: msg, Fix: fix})
	}
	env := r.checkEnv(add)
	bots, err := r.checkBots(in.Bot, env)
	if err != nil {
		return nil, err
	}
	res.Bots = bots
	if len(bots) == 0 {
		add("keys", CheckFail, "no bot's Bitget keys found in "+r.Config.EnvFile, "name the bot, or add its BOT1_BITGET_* variables")
	}
	for _, bot := range bots {
		r.checkBotKeys(add, bot, env)
		if err := checkAccountMap(rootpath.Resolve(r.Root, r.Config.Rotate.AccountMap), r.Config.Rotate.AccountMap, bot); err != nil {
			add("account-map:"+bot, CheckFail, err.Error(), "map "+bot+" in "+r.Config.Rotate.AccountMap)
		} else {
			add("account-map:"+bot, CheckPass, r.Config.Rotate.AccountMap+" maps "+bot, "")
		}
	}
	r.checkCompose(add, bots)
	for _, s := range []struct {
		id, cfg string
		argv    []string
	}{
		{"soft-pause", "rotate.soft_pause_argv", r.Config.Rotate.SoftPauseArgv},
		{"kill-switch", "rotate.kill_switch_argv", r.Config.Rotate.KillSwitchArgv},
	} {
		r.checkExecutable(add, s.id, s.cfg, s.argv)
	}
	r.checkStateDir(add)
	r.checkRotation(add)
	res.LastDrills = r.checkDrills(add, bots, maxAge)
	owner := in.Owner
	if owner == "" {
		owner = r.Config.Rotate.Owner
	}
	if owner == "" {
		add("owner", CheckFail, "no break-glass owner configured", "set rotate.owner in .keygate.yaml")
	} else {
		add("owner", CheckPass, "break-glass owner configured", "")
	}
	for _, bot := range bots {
		r.checkExchange(add, bot, env)
	}
	res.Status = CheckPass
	for _, c := range res.Checks {
		if c.Status == CheckFail {
			res.Status = CheckFail
		}
	}
	return res, nil
}

type addFunc func(id string, st CheckStatus, msg, fix string)

// checkExchange asks Bitget about the bot's current key (read-only
// calls): the break-glass path needs the exchange reachable and the key
// known to it.
func (r *Rotator) checkExchange(add addFunc, bot string, env *envfile.File) {
	id := "exchange:" + bot
	if env == nil {
		add(id, CheckSkip, "not checked: "+r.Config.EnvFile+" is not usable", "")
		return
	}
	res, missing, err := r.auditKey(env, bot)
	switch {
	case err != nil:
		add(id, CheckFail, "cannot audit at Bitget: "+err.Error(), "fix the exchanges: section of .keygate.yaml")
		return
	case res == nil:
		add(id, CheckSkip, "not checked: no whole Bitget key (missing "+strings.Join(missing, ", ")+")", "")
		return
	}
	switch {
	case res.Verdict == keyaudit.Unchecked:
		add(id, CheckFail, "Bitget could not be asked about "+bot+"'s key "+res.APIKey+": "+res.Why, "check this host's network path to Bitget")
	case res.Verdict == keyaudit.Rejected:
		add(id, CheckFail, "Bitget rejects "+bot+"'s key "+res.APIKey+": "+res.Why, "check the key at the exchange ("+r.stepText(StepAuditKeys, bot)+")")
	case len(res.Violations) > 0:
		msgs := make([]string, 0, len(res.Violations))
		for _, v := range res.Violations {
			msgs = append(msgs, v.Message)
		}
		add(id, CheckFail, "Bitget answers, but "+strings.Join(msgs, "; "), "rotate to a least-privilege key")
	default:
		add(id, CheckPass, "Bitget accepts "+bot+"'s key "+res.APIKey+" ("+res.Scope()+")", "")
	}
}

// checkEnv checks the env file: present, a regular file, mode 0600,
// parseable. It returns the parsed file, or nil.
func (r *Rotator) checkEnv(add addFunc) *envfile.File {
	name := r.Config.EnvFile
	fi, err := os.Lstat(r.envPath())
	switch {
	case err != nil:
		add("env-file", CheckFail, name+" is missing", "create "+name+" on the host (mode 0600)")
		return nil
	case fi.Mode()&os.ModeSymlink != 0:
		add("env-file", CheckFail, name+" is a symbolic link: rotation refuses it", "set env_file in .keygate.yaml to the link's target")
		return nil
	case !fi.Mode().IsRegular():
		add("env-file", CheckFail, name+" is not a regular file", "make "+name+" a regular file")
		return nil
	}
	f, err := envfile.Load(r.envPath())
	if err != nil {
		add("env-file", CheckFail, err.Error(), "fix the line named")
		return nil
	}
	add("env-file", CheckPass, name+" present", "")
	if perm := fi.Mode().Perm(); perm != 0o600 {
		add("env-mode", CheckFail, fmt.Sprintf("%s is mode %04o, not 0600", name, perm), "chmod 600 "+name)
	} else {
		add("env-mode", CheckPass, name+" is mode 0600", "")
	}
	return f
}

// checkBots returns the bots to check: the one named, else every bot with
// a Bitget variable in the env file.
func (r *Rotator) checkBots(bot string, env *envfile.File) ([]string, error) {
	if bot != "" {
		b, err := NormalizeBot(bot)
		if err != nil {
			return nil, err
		}
		return []string{b}, nil
	}
	if env == nil {
		return nil, nil
	}
	seen := map[string]bool{}
	var bots []string
	for _, e := range env.Entries {
		prefix, _, ok := strings.Cut(e.Key, "_BITGET_")
		if ok && botRE.MatchString(prefix) && !seen[prefix] {
			seen[prefix] = true
			bots = append(bots, prefix)
		}
	}
	sort.Strings(bots)
	return bots, nil
}

// checkBotKeys checks the bot's whole Bitget triple is in the env file and
// well formed.
func (r *Rotator) checkBotKeys(add addFunc, bot string, env *envfile.File) {
	id := "keys:" + bot
	if env == nil {
		add(id, CheckFail, "cannot check "+bot+"'s keys: "+r.Config.EnvFile+" is not usable", "fix "+r.Config.EnvFile+" first")
		return
	}
	var missing, bad []string
	for _, t := range triple {
		v, ok := env.Get(bot + "_" + t)
		if !ok {
			missing = append(missing, bot+"_"+t)
			continue
		}
		if err := checkFormat(bot, bot+"_"+t, v); err != nil {
			bad = append(bad, err.Error())
		}
	}
	switch {
	case len(missing) > 0:
		add(id, CheckFail, "missing "+strings.Join(missing, ", ")+" in "+r.Config.EnvFile, "add "+bot+"'s whole Bitget triple (key, secret, passphrase)")
	case len(bad) > 0:
		add(id, CheckFail, strings.Join(bad, "; "), "put well-formed keys in "+r.Config.EnvFile)
	default:
		add(id, CheckPass, bot+"'s Bitget key, secret and passphrase present and well formed", "")
	}
}

// checkCompose checks the compose file names the services a rotation of
// each bot recreates.
func (r *Rotator) checkCompose(add addFunc, bots []string) {
	name := r.Config.Rotate.ComposeFile
	data, err := os.ReadFile(rootpath.Resolve(r.Root, name))
	if err != nil {
		add("compose-file", CheckFail, name+" is missing", "set rotate.compose_file to the stack's compose file")
		return
	}
	var doc struct {
		Services map[string]any `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		add("compose-file", CheckFail, name+" is not valid YAML", "fix "+name)
		return
	}
	add("compose-file", CheckPass, name+" present", "")
	for _, bot := range bots {
		var missing []string
		for _, s := range r.services(bot) {
			if _, ok := doc.Services[s]; !ok {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			add("compose-services:"+bot, CheckFail, name+" has no service "+strings.Join(missing, ", "),
				"add the service, or fix rotate.always_recreate (the bot's service is its name in lower case)")
		} else {
			add("compose-services:"+bot, CheckPass, name+" names "+strings.Join(r.services(bot), ", "), "")
		}
	}
}

// checkExecutable checks the command of argv exists and may be run.
func (r *Rotator) checkExecutable(add addFunc, id, cfg string, argv []string) {
	if len(argv) == 0 {
		add(id, CheckFail, cfg+" is empty", "set "+cfg)
		return
	}
	prog := argv[0]
	if !strings.ContainsRune(prog, '/') {
		if _, err := exec.LookPath(prog); err != nil {
			add(id, CheckFail, prog+" is not on PATH", "install it, or set "+cfg)
		} else {
			add(id, CheckPass, prog+" found on PATH", "")
		}
		return
	}
	fi, err := os.Stat(rootpath.Resolve(r.Root, prog))
	switch {
	case err != nil:
		add(id, CheckFail, prog+" is missing", "install it, or set "+cfg)
	case !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0:
		add(id, CheckFail, prog+" is not executable", "chmod +x "+prog)
	default:
		add(id, CheckPass, prog+" present and executable", "")
	}
}

// checkStateDir checks the state directory (or, before the first
// rotation, the directory it will be made in) may be written.
func (r *Rotator) checkStateDir(add addFunc) {
	dir := r.stateDir()
	for {
		fi, err := os.Stat(dir)
		if err == nil {
			if !fi.IsDir() {
				add("state-dir", CheckFail, r.rel(dir)+" is not a directory", "remove it, or set rotate.state_dir")
			} else if err := writable(dir); err != nil {
				add("state-dir", CheckFail, r.rel(dir)+" is not writable", "make it writable for the user who rotates")
			} else {
				add("state-dir", CheckPass, r.Config.Rotate.StateDir+" writable", "")
			}
			return
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			add("state-dir", CheckFail, "no directory of "+r.Config.Rotate.StateDir+" exists", "create it")
			return
		}
		dir = parent
	}
}

// checkRotation checks no rotation is half done.
func (r *Rotator) checkRotation(add addFunc) {
	st, err := r.loadState()
	switch {
	case err != nil:
		add("rotation", CheckFail, err.Error(), "inspect the state file")
	case st.Active():
		add("rotation", CheckFail, fmt.Sprintf("a rotation of %s is half done (step %s)", st.Bot, st.Step),
			"keygate rotate status, then finish it or keygate rotate rollback")
	default:
		if _, err := os.Stat(r.backupPath()); st == nil && err == nil {
			add("rotation", CheckFail, "a backup remains from a stage that stopped before recording its state", "keygate rotate status")
			return
		}
		add("rotation", CheckPass, "no rotation in progress", "")
	}
}

// checkDrills finds each bot's last drill in the record and warns when it
// is older than maxAge, missed the SLO, or never happened.
func (r *Rotator) checkDrills(add addFunc, bots []string, maxAge time.Duration) []DrillAge {
	last := map[string]Record{}
	name := r.Config.Rotate.RecordFile
	f, err := os.Open(rootpath.Resolve(r.Root, name))
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		for n := 1; sc.Scan(); n++ {
			var rec Record
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				add("record", CheckWarn, fmt.Sprintf("%s:%d is not valid JSON", name, n), "repair the line")
				continue
			}
			if rec.Kind != KindDrill {
				continue
			}
			for _, b := range rec.Bots {
				if prev, ok := last[b]; !ok || rec.FinalizedAt.After(prev.FinalizedAt) {
					last[b] = rec
				}
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		add("record", CheckWarn, "cannot read "+name, "check its permissions")
	}
	now := r.now()
	var ages []DrillAge
	for _, bot := range bots {
		id := "drill:" + bot
		rec, ok := last[bot]
		if !ok {
			ages = append(ages, DrillAge{Bot: bot})
			add(id, CheckWarn, "no drill of "+bot+" recorded", r.stepText(StepDrill, bot)+" in a planned restart window")
			continue
		}
		at := rec.FinalizedAt.UTC()
		age := now.Sub(at)
		ages = append(ages, DrillAge{Bot: bot, At: &at, AgeSeconds: age.Seconds(), SLOMet: rec.SLOMet})
		msg := fmt.Sprintf("last drill of %s %s ago (%s)", bot, roundAge(age), at.Format(time.RFC3339))
		switch {
		case age > maxAge:
			add(id, CheckWarn, msg+", older than rotate.drill_max_age "+r.Config.Rotate.DrillMaxAge, r.stepText(StepDrill, bot))
		case !rec.SLOMet:
			add(id, CheckWarn, msg+", over the SLO", "find what slows the restart, then drill again")
		default:
			add(id, CheckPass, msg, "")
		}
	}
	return ages
}

// roundAge renders an age in days past two days, else hours or minutes.
func roundAge(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dm", int(d.Minutes()))
}
