package apiclient

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBaseURL(t *testing.T) {
	tests := []struct{ raw, want, errWant string }{
		{"https://api.example.invalid/", "https://api.example.invalid", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"http://api.example.invalid", "", "would send credentials in clear"},
		{"https://u:p@api.example.invalid", "", "user info"},
		{"https://api.example.invalid?x=1", "", "query"},
		{"ftp://api.example.invalid", "", "scheme"},
	}
	for _, tt := range tests {
		u, err := ParseBaseURL(tt.raw)
		if tt.errWant != "" {
			require.Error(t, err, tt.raw)
			assert.Contains(t, err.Error(), tt.errWant)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, u.String())
	}
}

// A redirect to another host is refused before the other host sees the
// credential header; it is not retried.
func TestRedirectElsewhereRefused(t *testing.T) {
	var leaked, calls atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { leaked.Add(1) }))
	defer evil.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Redirect(w, r, evil.URL+r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	u, err := ParseBaseURL(srv.URL)
	require.NoError(t, err)
	c := New("Test", u)
	_, err = c.Get(context.Background(), Request{Path: "/x", Sign: func(h http.Header) string { h.Set("X-Key", "k"); return "" }})
	require.ErrorIs(t, err, ErrRedirect)
	assert.Zero(t, leaked.Load())
	assert.Equal(t, int32(1), calls.Load())
}

// One retry: a network failure or 5xx is tried twice, then unreachable;
// the error names no query (a signed query holds a signature).
func TestOneRetryAndTimeout(t *testing.T) {
	var calls atomic.Int32
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			<-block
			return
		}
		w.WriteHeader(503)
		fmt.Fprint(w, "busy")
	}))
	defer srv.Close()
	defer close(block)
	u, _ := ParseBaseURL(srv.URL)
	c := New("Test", u)
	c.SetTimeout(50 * time.Millisecond)
	c.Backoff = time.Millisecond
	_, err := c.Get(context.Background(), Request{Path: "/x", Sign: func(http.Header) string { return "signature=SIGNEDQUERY" }})
	var un *UnreachableError
	require.ErrorAs(t, err, &un)
	assert.Equal(t, 2, un.Attempts)
	assert.Equal(t, int32(2), calls.Load())
	assert.NotContains(t, err.Error(), "SIGNEDQUERY")
}

// A refusal names the provider, keygate's words when it has them, the
// status and the code; int and string codes print alike.
func TestRefused(t *testing.T) {
	assert.Equal(t, "Binance refused the request: signature not valid (wrong secret) (HTTP 400, code -1022)",
		Refused("Binance", "signature not valid (wrong secret)", 400, -1022))
	assert.Equal(t, "OKX refused the request (HTTP 401, code 50199)", Refused("OKX", "", 401, "50199"))
}
