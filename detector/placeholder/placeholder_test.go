package placeholder

import (
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIs(t *testing.T) {
	s, err := New([]string{`^<[^>]*>$`, `\*{4}`})
	require.NoError(t, err)
	for _, v := range []string{
		"<your-key>", "****ABCD", // the pack's patterns
		"test_api_key", "test-passphrase", "test_0123", "test_pub_key_here", "TEST_SECRET", "fake_password_123", "dummy-token", "mock_key_1",
		"your_api_key", "YOUR-SECRET", "yourapikey", "api_key_here", "token-goes-here",
		"example-auth-token", "AKIAIOSFODNN7EXAMPLE", "changeme-in-prod", "ChangeMe2024!", "REDACTED_1",
		"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIAXXXXXXXXXXXXXXXX", "sk_live_....",
		"AIzaSyabcdefghijklmnopqrstuvwxyz0123456",
		"0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef",
		"bg_00000000000000000000000000000000", "1234567890abcdef1234567890abcdef",
		"pass", "s3cr3t", "P@ssw0rd", "secret", "password", "user",
		"SuperSecurePassword", "my-secret-token", "YourPassword1", "CleartextPassword1", "MySecretToken2", "4hQmZXXX_PLW7XXXRTNBXXXKqVuSyn",
		// Quoted inside the value a rule took.
		`"${GIT_TOKEN}"`, `'<your-key>'`,
		// A run and the two characters a password policy asks for.
		"1234567Aa", "Aa12345678", "abcdefgh1!",
		// Typed in runs of three.
		"dapi1234567890abcdef1234567890abcd", "AbCeFG123", "abc123def456ghi789", "xyz789abc123def456",
	} {
		assert.True(t, s.Is(v), v)
	}
	for _, v := range []string{
		"bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0", // the fixtures' key: not a run
		"5eed5eed0123456789abcdef0123456789abcdef0123456789abcdefdeadbeef",
		"f00dfacec0ffee00deadbeef0123456789abcdef0123456789abcdef00c0ffee",
		"Tide5Dgaharbor7", "Harbor7Tide5Dga", "q8Zr2LmX9vT4", "sk_test_SYNTHETICsynthetic000000",
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", // OpenSSH keys hold runs
		"mytoken9Zq2", "latest-Zq8Lm2Wx", "contest_Zq8Lm2Wx",
		"tradingdesk", "HarborTideSecretive9", "Xk9secretQ2pLw7",
		// Test-mode keys whose issued format starts with test_ (Lob).
		"test_6da456322937f85bb69c1c8345d152f142c", "test_pub_80e2dfca2ebcb6e221ded9d4b9c0ff8",
		// A quoted real value stays a value.
		`"Tide5Dgaharbor7"`,
		// A run in a real value is not most of it; digits alone are a PIN.
		"Zq8Lm12345", "83912345", "Harbor12345Tide",
		// Short runs now and then, as random key material has them.
		"dapi4bf92c12079949c4fb7761e0291736a0", "abc9Zq2LmX8vT4Wq", "Qx7abcR2m9123Lp0",
	} {
		assert.False(t, s.Is(v), v)
	}
}

func TestNewRejectsBadPattern(t *testing.T) {
	for _, bad := range []string{"(", `x{2000}`, `a**`, `\8`} {
		_, err := New([]string{`^ok$`, bad})
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "allow.placeholders")
		_, cerr := regexp.Compile(bad)
		assert.Error(t, cerr, "Compile refuses what New refuses: %s", bad)
	}
}

// The shares typedInRuns weighs: letters and digits in runs of four equal
// or five consecutive characters, and in runs of three.
func TestRunCounts(t *testing.T) {
	share := func(v string, minSame, minNext int) float64 {
		in, n := runCounts(v, minSame, minNext)
		if n == 0 {
			return 0
		}
		return float64(in) / float64(n)
	}
	for _, tt := range []struct {
		v                string
		minSame, minNext int
		want             float64
	}{
		{"xxxxxxxx", 4, 5, 1}, {"abcdefgh", 4, 5, 1}, {"9876543210", 4, 5, 1},
		{"q8Zr2LmX9vT4", 4, 5, 0}, {"0000Zq8L", 4, 5, 0.5},
		{"abab", 4, 5, 0}, // short runs do not count
		{"--__", 4, 5, 0},
		{"abc123xyz", 3, 3, 1}, {"aaaQ8Zr", 3, 3, 3.0 / 7}, {"abab", 3, 3, 0},
	} {
		assert.InDelta(t, tt.want, share(tt.v, tt.minSame, tt.minNext), 1e-9, tt.v)
	}
}

func TestWords(t *testing.T) {
	for _, v := range []string{
		"SuperSecret1!", "somethingrandom", "my-bearer-token", "someSecretKey", "P@ssw0rd!",
		"MyS3cretPassw0rd", "correcthorsebatterystaple", "hunter2hunter2", "Welcome123!",
		"averylongsecretstring", "HTTPServerConfig", "letmein123", "rootpassword",
	} {
		assert.True(t, Words(v), v)
	}
	for _, v := range []string{
		"q8Zr2LmX9vT4", "Zx81Qm27Lp90Rt45", "s3Kr1t-ZqX7-pL9m", "6D1mSynthQvWk8tLbqVVwT6prBiTAd6x",
		"Tide5Dgaharbor7", "9c2e71fa04b8d35e6a1f0c97", "kqhwhwpugzmxrtlv", "", "1234",
	} {
		assert.False(t, Words(v), v)
	}
}

func TestIdentifier(t *testing.T) {
	for _, v := range []string{
		"binance_api_secret", "apiPassphrase", "getAccessToken", "get_access_token", "BINANCE_API_KEY",
		"bitgetApiSecret", "secretKeyFromFile", "api_key2", "HTTPBasicAuth",
	} {
		assert.True(t, Identifier(v), v)
	}
	for _, v := range []string{
		"Zx81Qm27Lp90Rt45", "kqhwhwpugzmxrtlv", "xQzWvPmRtYkLbNcH", "9abc", "a.b", "abc123456", "",
	} {
		assert.False(t, Identifier(v), v)
	}
}

func TestLabel(t *testing.T) {
	for _, v := range []string{
		"csc-e2e-populate", "user:1000:name", "secret_Ws_t0ken", "cmdstat_echo:", "latency-monitor-threshold",
		"sentinel-pass", "bad-ws_token", "moved:noredir:key", "secret_ws_t0ken.",
	} {
		assert.True(t, Label(v), v)
	}
	for _, v := range []string{
		"s3Kr1t-ZqX7-pL9m", "hZ-y58LXyX_HZ8O1cJzVyN6ePWrLpNQv4Q", "zq8#x!synthetic-secret-0101", "q8Zr2LmX9vT4",
		"bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0", "Tq7Wn2Vx9Yk4Mz1", "",
	} {
		assert.False(t, Label(v), v)
	}
}

// The embedded list is searched in place by binary search: it must be
// byte-sorted, and every word in it must be found.
func TestWordListSorted(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(wordList, "\n"), "\n")
	require.Greater(t, len(lines), 30000)
	assert.True(t, sort.StringsAreSorted(lines))
	for _, w := range []string{lines[0], lines[len(lines)/2], lines[len(lines)-1], "random", "secret", "something"} {
		assert.True(t, inList(w), w)
	}
	for _, w := range []string{"", "zzzzzz", "aaaa", "kqhw", "secretx", "#"} {
		assert.False(t, inList(w), w)
	}
}

// Random key material is almost never typed in short runs, nor nearly all
// runs: 300,000
// random values of each alphabet keys are drawn from (digits, hex, lower
// case and digits, both cases and digits), of 8 to 64 characters, give
// fewer than one placeholder in 100,000 by their runs, and none of digits
// alone.
func TestShortRunsSpareRandomValues(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	const n = 300_000
	for _, alpha := range []string{"0123456789", "0123456789abcdef", "abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"} {
		hits := 0
		for range n {
			b := make([]byte, 8+r.IntN(57))
			for k := range b {
				b[k] = alpha[r.IntN(len(alpha))]
			}
			in, alnum := runCounts(string(b), 4, 5)
			if v := string(b); typedInRuns(v) && float64(in) < runShare*float64(alnum) {
				hits++
			}
		}
		t.Logf("alphabet of %d: %d of %d", len(alpha), hits, n)
		if len(alpha) == 10 {
			assert.Zero(t, hits, "digits alone are never judged by short runs")
		}
		assert.Less(t, hits, n/100_000, "alphabet of %d", len(alpha))
	}
}
