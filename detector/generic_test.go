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
