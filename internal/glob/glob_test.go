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
