package config

// Rotate configures `keygate rotate` for the policy's layout.
type Rotate struct {
	ComposeFile     string   `yaml:"compose_file"`
	ComposeArgv     []string `yaml:"compose_argv"`
	AlwaysRecreate  []string `yaml:"always_recreate"`
	AccountMap      string   `yaml:"account_map"`
	SnapshotReport  string   `yaml:"snapshot_report"`
	ReconcileReport string   `yaml:"reconciliation_report"`
	Timeout         string   `yaml:"timeout"`
	SLO             string   `yaml:"slo"`
	RecordFile      string   `yaml:"record"`
	IncidentDir     string   `yaml:"incident_dir"`
	SoftPauseArgv   []string `yaml:"soft_pause_argv"`
	KillSwitchArgv  []string `yaml:"kill_switch_argv"`
	StateDir        string   `yaml:"state_dir"`
	// Owner answers for break-glass: who revokes and rotates a
	// compromised key (rotate check wants one).
	Owner string `yaml:"owner"`
	// DrillMaxAge is how old the last `rotate drill` may be before
	// `rotate check` warns (90m, 36h, 30d).
	DrillMaxAge string `yaml:"drill_max_age"`
}

// DefaultRotate is the policy's runbook as configuration.
func DefaultRotate() Rotate {
	return Rotate{
		ComposeFile:     "compose/docker-compose.yml",
		ComposeArgv:     []string{"docker", "compose", "--env-file", "{env_file}", "-f", "{compose_file}", "up", "-d", "--force-recreate"},
		AlwaysRecreate:  []string{"exchange-snapshot-service"},
		AccountMap:      "config/exchange_account_map.json",
		SnapshotReport:  "reports/exchange_snapshots/latest.json",
		ReconcileReport: "reports/reconciliation/latest.json",
		Timeout:         "5m",
		SLO:             "5m",
		RecordFile:      "reports/security/rotations.jsonl",
		IncidentDir:     "docs/incidents",
		SoftPauseArgv:   []string{"scripts/ops/soft_pause", "{bot}"},
		KillSwitchArgv:  []string{"scripts/ops/kill_switch", "{bot}"},
		StateDir:        ".keygate",
		DrillMaxAge:     "30d",
	}
}
