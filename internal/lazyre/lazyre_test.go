package lazyre

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLazyRegexp(t *testing.T) {
	r := New(`^(BOT[0-9A-Z]*)_([A-Z0-9_]+)$`)
	assert.Equal(t, `^(BOT[0-9A-Z]*)_([A-Z0-9_]+)$`, r.String())
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.True(t, r.MatchString("BOT1_API_KEY"))
			assert.Equal(t, []string{"BOT1_API_KEY", "BOT1", "API_KEY"}, r.FindStringSubmatch("BOT1_API_KEY"))
		}()
	}
	wg.Wait()
	assert.False(t, r.MatchString("bot1_api_key"))
	assert.Equal(t, "BOT1>", New(`_.*$`).ReplaceAllString("BOT1_API_KEY", ">"))
	assert.Same(t, r.Regexp(), r.Regexp())
	bad := New(`(unclosed`)
	assert.Panics(t, func() { bad.MatchString("x") })
}
