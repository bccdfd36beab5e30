package rotate

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/engine"
	"github.com/keygate/keygate/envfile"
	"github.com/keygate/keygate/redact"
)

// services are the compose services a rotation of bot recreates: the
// always-recreated ones (exchange-snapshot-service) and the bot's own
// (BOT1 -> bot1).
func (r *Rotator) services(bot string) []string {
	return append(append([]string{}, r.Config.Rotate.AlwaysRecreate...), strings.ToLower(bot))
}

// expand fills {env_file}, {compose_file} and {bot} in an argv template.
func (r *Rotator) expand(argv []string, bot string) []string {
	rep := strings.NewReplacer("{env_file}", r.Config.EnvFile, "{compose_file}", r.Config.Rotate.ComposeFile, "{bot}", bot)
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = rep.Replace(a)
	}
	return out
}

// compose recreates the rotation's services.
func (r *Rotator) compose(st *State) error {
	argv := append(r.expand(r.Config.Rotate.ComposeArgv, st.Bot), r.services(st.Bot)...)
	return r.command(argv)
}

// activeValues are the credential values of the env file and of its
// backup: during a rotation, both the old and the new keys are live.
func (r *Rotator) activeValues() []detector.KnownValue {
	var values []detector.KnownValue
	for _, p := range []string{r.envPath(), r.backupPath()} {
		if f, err := envfile.Load(p); err == nil {
			values = append(values, engine.SecretValues(f, r.Config.SecretEnv)...)
		}
	}
	return values
}

// redactor masks every active value (old and new) and every pattern secret,
// in command output and in what keygate writes.
func (r *Rotator) redactor() *redact.Redactor {
	red, err := redact.New(r.activeValues(), nil)
	if err != nil {
		return nil
	}
	return red
}

// command runs argv in the root with its output redacted into r.Out.
// Values never travel in argv: only names and paths are there.
func (r *Rotator) command(argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("empty command in configuration")
	}
	r.say("running: %s", strings.Join(argv, " "))
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = r.Root
	out := r.Out
	if out == nil {
		out = io.Discard
	}
	red := r.redactor()
	if red == nil {
		return fmt.Errorf("cannot build the output redactor; not running %s", argv[0])
	}
	w := red.Writer(out)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.Stdin = nil
	cmd.Env = os.Environ()
	err := cmd.Run()
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", argv[0], err)
	}
	return nil
}
