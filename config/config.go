// Package config loads .keygate.yaml: defaults for the policy's layout,
// overridden field by field by the file, validated with file:line errors.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/keygate/keygate/internal/yamlfile"
)

// FileName is the configuration file looked for at the repository root.
const FileName = ".keygate.yaml"

// Config is keygate's configuration. Zero configuration is the policy's
// layout: every field has a default.
type Config struct {
	// Scopes are doublestar globs, relative to the root, always scanned.
	Scopes []string `yaml:"scopes"`
	// LogScopes are added by --include-logs.
	LogScopes []string `yaml:"log_scopes"`
	// BlockedPaths may never be committed, whatever they hold.
	BlockedPaths []string `yaml:"blocked_paths"`
	// AllowPaths are globs whose findings are suppressed (fixtures, say).
	AllowPaths []string `yaml:"allow_paths"`
	// EnvFile holds the active credential values (read on the host only).
	EnvFile string `yaml:"env_file"`
	// SecretEnv are globs of variable names whose values are credentials.
	SecretEnv []string `yaml:"secret_env"`
	// Report is where latest.json is written.
	Report string `yaml:"report"`
	// Baseline is the fingerprint file written by `keygate baseline`.
	Baseline string `yaml:"baseline"`
	// Rules are extra rule packs merged over the embedded default.
	Rules []string `yaml:"rules"`
	// MaxObjectMB is the largest git object a history or staged scan reads
	// whole, in MiB; a larger blob is an error (status error, exit 2),
	// never a silent pass.
	MaxObjectMB int `yaml:"max_object_mb"`
	// Containers bounds the opening of compressed files and archives.
	Containers Containers `yaml:"containers"`
	// Skip names files in the scopes that the hygiene scan may fail to
	// read (images, parquet files), each with the reason; any other file
	// it cannot read makes its status error. A file skip: names is still
	// read when it can be: skip: excuses, it never hides.
	Skip []SkipRule `yaml:"skip"`
	// FollowSymlinks are globs of symlinks in the scopes (a bot's log
	// folder linked to /var/log/bot1) whose targets are scanned even
	// outside the repository; any other link out of the tree is an error.
	FollowSymlinks []string `yaml:"follow_symlinks"`
	// Rotate configures `keygate rotate`.
	Rotate Rotate `yaml:"rotate"`
	// Exchanges configures the key audits (`keygate keys audit`).
	Exchanges Exchanges `yaml:"exchanges"`

	// File is the configuration file read, empty when defaults are used.
	File string `yaml:"-"`
	// doc is the file's YAML, for the lines of its entries.
	doc *yaml.Node
}

// SkipRule is a file the hygiene scan may leave unread, and why.
type SkipRule struct {
	// Path is a doublestar glob relative to the root.
	Path string `yaml:"path"`
	// Reason says why the file need not be read (shown in every output).
	Reason string `yaml:"reason"`
}

// Skipped returns the skip rule that names path, if any.
func (c *Config) Skipped(path string) (SkipRule, bool) {
	for _, s := range c.Skip {
		if ok, _ := doublestar.Match(s.Path, path); ok {
			return s, true
		}
	}
	return SkipRule{}, false
}

// Line is the line of the configuration entry field (with index i, or -1
// for the field itself) in File, and whether the file sets it (false: it
// is a default).
func (c *Config) Line(field string, i int) (int, bool) {
	if c.File == "" || c.doc == nil {
		return 0, false
	}
	path := []any{field}
	if i >= 0 {
		path = append(path, i)
	}
	return yamlfile.Lookup(c.doc, path...)
}

// Default returns the configuration for the policy's layout.
func Default() *Config {
	return &Config{
		Scopes:       []string{"docs/**", "reports/**"},
		LogScopes:    []string{"data/*/logs/**"},
		BlockedPaths: DefaultBlockedPaths(),
		EnvFile:      "env/.env",
		SecretEnv: []string{"BOT*_BITGET_API_KEY", "BOT*_BITGET_API_SECRET", "BOT*_BITGET_PASSPHRASE",
			"REDIS_PASSWORD", "BOT*_PASSWORD",
			"BOT*_BINANCE_API_KEY", "BOT*_BINANCE_API_SECRET", "BOT*_OKX_API_KEY", "BOT*_OKX_API_SECRET", "BOT*_OKX_PASSPHRASE",
			"BOT*_BYBIT_API_KEY", "BOT*_BYBIT_API_SECRET"},
		Skip:        []SkipRule{{Path: "**/*.{png,jpg,jpeg,gif,bmp,ico,webp}", Reason: "an image"}},
		Report:      "reports/security/latest.json",
		Baseline:    ".keygate-baseline.json",
		MaxObjectMB: 1024,
		Containers:  DefaultContainers(),
		Rotate:      DefaultRotate(),
		Exchanges:   DefaultExchanges(),
	}
}

// DefaultBlockedPaths are the policy's never-committable files: env files
// (and the temp copies an interrupted rewrite leaves, which hold keys),
// keygate's rotation state (its backup holds the old keys) and private keys.
func DefaultBlockedPaths() []string {
	return []string{"env/.env", "**/.env", "**/..env.tmp-*", ".keygate/**", "**/*.pem", "**/id_rsa", "**/id_dsa", "**/id_ecdsa",
		"**/id_ed25519", "**/*.p12", "**/*.pfx", "**/*.ppk"}
}

// fieldHelp tells the author of an unknown field which fields a section
// has, read from the types' yaml tags so the list cannot fall behind a new
// field, and where README documents them (users have README, not the
// design notes).
var fieldHelp = map[string]string{
	"config.Config":     "see README, Configuration: " + yamlFields(Config{}),
	"config.Rotate":     "see README, Rotating a key: " + yamlFields(Rotate{}),
	"config.Exchanges":  "see README, Auditing exchange keys: " + yamlFields(Exchanges{}),
	"config.Bitget":     "see README, Auditing exchange keys: " + yamlFields(Bitget{}),
	"config.Containers": "see README, What a scan reads: " + yamlFields(Containers{}),
	"config.SkipRule":   "see README, What a scan reads: " + yamlFields(SkipRule{}),
	"config.Exchange":   "see README, Auditing exchange keys: " + yamlFields(Exchange{}),
}

// yamlFields lists the YAML names of a struct's fields, in order.
func yamlFields(v any) string {
	t := reflect.TypeOf(v)
	var names []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" && t.Field(i).IsExported() {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// Load reads root/.keygate.yaml over the defaults; a missing file is not an
// error.
func Load(root string) (*Config, error) {
	path := filepath.Join(root, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("load config %s: %w", path, err)
	}
	return Parse(path, data)
}

// LoadFS reads .keygate.yaml at the top of fsys (a commit's tree, say)
// over the defaults; a missing file is not an error. name is the file's
// name in errors (the commit and path, say).
func LoadFS(fsys fs.FS, name string) (*Config, error) {
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("load config %s: %w", name, err)
	}
	return Parse(name, data)
}

// Parse reads a configuration file's data over the defaults; name is the
// file in errors, each of which names name:line.
func Parse(name string, data []byte) (*Config, error) {
	c := Default()
	doc, err := yamlfile.Decode(name, data, c, fieldHelp)
	if errors.Is(err, yamlfile.ErrEmpty) {
		// Only comments (the yaml-language-server line README suggests)
		// or nothing: the defaults, as if there were no file.
		c.File = name
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	c.File, c.doc = name, doc
	if err := c.validate(name, doc); err != nil {
		return nil, err
	}
	return c, nil
}

// validate checks what the YAML types cannot. Its errors name the key,
// the list index and the line, never the value: a secret pasted into the
// wrong field must not reach a terminal or a CI log.
func (c *Config) validate(file string, doc *yaml.Node) error {
	var errs []error
	globs := map[string][]string{"scopes": c.Scopes, "log_scopes": c.LogScopes, "blocked_paths": c.BlockedPaths,
		"allow_paths": c.AllowPaths, "secret_env": c.SecretEnv}
	globs["follow_symlinks"] = c.FollowSymlinks
	for i, s := range c.Skip {
		line := yamlfile.Line(doc, "skip", i)
		if s.Path == "" || !doublestar.ValidatePattern(s.Path) {
			errs = append(errs, &yamlfile.Error{File: file, Line: line, Msg: fmt.Sprintf("skip[%d].path: must be a valid glob of the files to leave unread (the value is not shown)", i)})
		}
		if strings.TrimSpace(s.Reason) == "" {
			errs = append(errs, &yamlfile.Error{File: file, Line: line, Msg: fmt.Sprintf("skip[%d].reason: say why these files need not be read (images, parquet data...): every report shows it", i)})
		}
	}
	for _, field := range []string{"scopes", "log_scopes", "blocked_paths", "allow_paths", "secret_env", "follow_symlinks"} {
		for i, g := range globs[field] {
			if !doublestar.ValidatePattern(g) {
				errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, field, i),
					Msg: fmt.Sprintf("%s[%d]: not a valid glob (unbalanced [ or {, or a trailing \\; the value is not shown)", field, i)})
			}
		}
	}
	for _, d := range []struct{ field, value string }{{"timeout", c.Rotate.Timeout}, {"slo", c.Rotate.SLO}} {
		if v, err := time.ParseDuration(d.value); err != nil || v <= 0 {
			errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "rotate", d.field),
				Msg: fmt.Sprintf("rotate.%s: not a positive duration such as 5m or 90s (the value is not shown)", d.field)})
		}
	}
	if len(c.Rotate.ComposeArgv) == 0 {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "rotate", "compose_argv"), Msg: "rotate.compose_argv: must name a command"})
	}
	if c.MaxObjectMB <= 0 {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "max_object_mb"), Msg: "max_object_mb: must be a positive number of MiB (default 1024)"})
	}
	if c.Report == "" {
		errs = append(errs, &yamlfile.Error{File: file, Line: yamlfile.Line(doc, "report"), Msg: "report: must name a file"})
	}
	errs = append(errs, c.Exchanges.validate(file, doc)...)
	errs = append(errs, c.Containers.validate(file, doc)...)
	return errors.Join(errs...)
}
