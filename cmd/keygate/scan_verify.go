package main

import (
	"fmt"
	"os"

	"github.com/keygate/keygate/config"
	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/verifier"
)

// newVerifyStage builds scan --verify's stage: every provider at its
// documented base URL or its KEYGATE_<NAME>_BASE_URL override (the
// repository's .keygate.yaml is not asked: a change under scan must not
// send the credentials it holds elsewhere), and the env file's values to
// complete a credential and name its bot.
func newVerifyStage(setup *engine.Engine, cfg *config.Config) (*verifier.Stage, error) {
	providers, err := verifier.DefaultProviders()
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	if setup.EnvFile != "" {
		data, err := os.ReadFile(setup.EnvFile)
		if err != nil {
			return nil, fmt.Errorf("read env file: %w", err)
		}
		f, err := envfile.Parse(setup.EnvFile, data)
		if err != nil {
			return nil, err
		}
		for _, kv := range engine.SecretValues(f, cfg.SecretEnv) {
			env[kv.Name] = kv.Value
		}
	}
	return verifier.NewStage(providers, env), nil
}
