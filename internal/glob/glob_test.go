package glob

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAny(t *testing.T) {
	cases := []struct {
		patterns []string
		name     string
		want     bool
	}{
		{[]string{"docs/**"}, "docs/a/b.md", true},
		{[]string{"**/.env"}, ".env", true},
		{[]string{"**/.env"}, "env/.env", true},
		{[]string{"BOT*_BITGET_*"}, "BOT12_BITGET_API_KEY", true},
		{[]string{"BOT*_BITGET_*"}, "REDIS_PASSWORD", false},
		{[]string{"docs/*"}, "docs/a/b.md", false},
		{[]string{"[unclosed"}, "[unclosed", false},
		{nil, "anything", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, Any(c.patterns, c.name), "%v %q", c.patterns, c.name)
	}
}

func TestAnyFold(t *testing.T) {
	cases := []struct {
		patterns []string
		name     string
		want     bool
	}{
		{[]string{"**/*.p12"}, "certs/KEY.P12", true},
		{[]string{"**/*.pem"}, "Deploy/Bot.Pem", true},
		{[]string{"**/id_rsa"}, "home/ID_RSA", true},
		{[]string{"**/.env"}, "app/.ENV", true},
		{[]string{"Secrets/**"}, "secrets/bot1.json", true},
		{[]string{"**/*.p12"}, "certs/key.p12.txt", false},
		{[]string{"docs/*"}, "DOCS/a/b.md", false},
		{nil, "anything", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, AnyFold(c.patterns, c.name), "%v %q", c.patterns, c.name)
	}
	assert.False(t, Any([]string{"**/*.p12"}, "certs/KEY.P12"), "Any itself keeps case")
}
