package bitget

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server that never answers costs one timeout per attempt, then the
// request is given up as unreachable. (The 5 s limit is shortened here.)
func TestTimeoutIsANetworkError(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	u, _ := url.Parse(srv.URL)
	c := New(u)
	c.api.SetTimeout(50 * time.Millisecond)
	c.Backoff = time.Millisecond
	assert.Equal(t, 5*time.Second, New(u).api.AttemptTimeout(), "the real limit")
	_, err := c.AccountInfo(context.Background(), Credentials{Key: "k", Secret: "s", Passphrase: "p"})
	var un *UnreachableError
	require.ErrorAs(t, err, &un)
	assert.Equal(t, 3, un.Attempts)
	assert.Contains(t, err.Error(), "Timeout")
}
