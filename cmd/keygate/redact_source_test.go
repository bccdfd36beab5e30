package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// redact run outside the repository has no env file: it says so and how to
// name one, rather than silently passing a passphrase no rule knows; with
// --env-file it names the file and masks the value.
func TestRedactSaysWhichEnvFile(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	fixture.Write(t, repo, "env/.env", "BOT1_BITGET_PASSPHRASE="+fixture.HostPassphrase+"\nLOG_LEVEL=info\n")
	fixture.Write(t, repo, "env/other.env", "LOG_LEVEL=info\n")
	elsewhere := t.TempDir()
	redact := func(args ...string) (string, string) {
		cmd := exec.Command(binary(t), append([]string{"redact"}, args...)...)
		cmd.Dir = elsewhere
		cmd.Stdin = strings.NewReader("the passphrase is " + fixture.HostPassphrase + "\n")
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		require.NoError(t, cmd.Run(), errb.String())
		return out.String(), errb.String()
	}

	out, errOut := redact()
	assert.Contains(t, errOut, "keygate: warning: redact: no env file ("+filepath.Join(elsewhere, "env/.env")+" does not exist)")
	assert.Contains(t, errOut, "give --env-file FILE")
	assert.Contains(t, out, fixture.HostPassphrase, "nothing knows the value: the warning is why")

	envFile := filepath.Join(repo, "env/.env")
	out, errOut = redact("--env-file", envFile)
	assert.Equal(t, "the passphrase is ****Dune\n", out)
	assert.Contains(t, errOut, "keygate: redact: masking the active values of 1 variable from "+envFile)
	assert.NotContains(t, errOut, fixture.HostPassphrase)

	_, errOut = redact("--env-file", filepath.Join(repo, "env/other.env"))
	assert.Contains(t, errOut, "keygate: warning: redact: "+filepath.Join(repo, "env/other.env")+" holds no value of a secret_env variable")
}
