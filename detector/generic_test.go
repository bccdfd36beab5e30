package detector

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSecretName(t *testing.T) {
	for _, n := range []string{
		"token", "API_TOKEN", "apiKey", "api-key", "APIKEY", "apikey", "client_secret", "DB_PASSWORD",
		"passwd", "MAILER_PWD", "SMTP_PASS", "APP_CREDENTIALS", "credential", "NPM_AUTH", "x.secret",
		"secretKey", "private_key", "--api-key", "$password", "passphrase", "v2Token",
	} {
		assert.True(t, secretName(n), n)
	}
	for _, n := range []string{
		"monkey", "hotkey", "MONKEY", "public_key", "publicKey", "primary_key", "next_token", "sort_key",
		"password_hash", "token_count", "author", "bypass", "compass", "keys", "", "idempotency-key",
	} {
		assert.False(t, secretName(n), n)
	}
}

func TestNameBefore(t *testing.T) {
	tests := []struct {
		prefix, name string
		quoted       bool
	}{
		{`API_KEY=`, "API_KEY", false},
		{`  "token": "`, "token", true},
		{`password => '`, "password", true},
		{`token := "`, "token", true},
		{`os.environ['secret'] = "`, "secret", true},
		{`<db password="`, "password", true},
		{`export X=1; NPM_AUTH=`, "NPM_AUTH", false},
	}
	for _, tt := range tests {
		name, quoted := nameBefore([]byte(tt.prefix))
		assert.Equal(t, tt.name, name, tt.prefix)
		assert.Equal(t, tt.quoted, quoted, tt.prefix)
	}
}

// A key made of runs is a placeholder to the scan, but a redactor masks it:
// masking a stand-in costs nothing, leaking a real one costs the key.
func TestRedactionMasksPlaceholderShapes(t *testing.T) {
	d := defaultDetector(t)
	line := []byte("rotated to bg_0000aaaa1111bbbb2222cccc3333dddd, was ${OLD_KEY}\n")
	fs, err := d.Scan(line, "x.log")
	assert.NoError(t, err)
	assert.Empty(t, fs)
	spans, err := d.Spans(line)
	assert.NoError(t, err)
	if assert.Len(t, spans, 1) {
		assert.Equal(t, "bg_0000aaaa1111bbbb2222cccc3333dddd", string(line[spans[0].Start:spans[0].End]))
	}
}

// A known active value is reported as such (critical, with its variable)
// even where the generic rule sees the same text.
func TestKnownValueBeatsGenericGuess(t *testing.T) {
	d := knownDetector(t, KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: "Zq8Lm2Synth7Wx4Kp9"})
	fs, err := d.Scan([]byte("SERVICE_AUTH=Zq8Lm2Synth7Wx4Kp9\n"), "x")
	assert.NoError(t, err)
	if assert.Len(t, fs, 1) {
		assert.Equal(t, KnownValueRuleID, fs[0].RuleID)
		assert.Equal(t, "BOT1_BITGET_PASSPHRASE", fs[0].EnvName)
	}
}
