package main

import (
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
)

const (
	hexDigits = "0123456789abcdef"
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base32    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

// gen is a seeded source of synthetic trading-ops text.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, 0x6b657967617465))} }

func (g *gen) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// githubToken returns a classic GitHub token whose last 6 characters are
// the CRC32 of the 30 before them in base62, as real ones are: keygate
// drops a ghp_ token whose checksum fails.
func (g *gen) githubToken() string {
	const b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	body := g.pick(alnum, 30)
	v := crc32.ChecksumIEEE([]byte(body))
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = b62[v%62]
		v /= 62
	}
	return "ghp_" + body + string(sum[:])
}

func (g *gen) ts(i int) string {
	return fmt.Sprintf("2026-11-%02dT%02d:%02d:%02d.%03dZ", 1+i/86400%28, i/3600%24, i/60%60, i%60, g.r.IntN(1000))
}

var symbols = []string{"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT"}

// logLine is a bot log line; most carry masked credentials, as the policy's
// safe-logging rules allow.
func (g *gen) logLine(i, bot int) string {
	sym := symbols[g.r.IntN(len(symbols))]
	mask := "****" + g.pick(hexDigits, 4)
	switch g.r.IntN(8) {
	case 0:
		return fmt.Sprintf("%s INFO bot=BOT%d order placed order_id=%d client_oid=bot%d-%s symbol=%s side=buy qty=0.%03d px=%d.%02d api_key=%s status=ok",
			g.ts(i), bot, 1000000000000+g.r.Int64N(9e12), bot, g.pick(hexDigits, 8), sym, g.r.IntN(1000), 20000+g.r.IntN(50000), g.r.IntN(100), mask)
	case 1:
		return fmt.Sprintf("%s DEBUG bot=BOT%d GET /api/v2/spot/market/tickers?symbol=%s status=200 latency_ms=%d key=%s",
			g.ts(i), bot, sym, g.r.IntN(300), mask)
	case 2:
		return fmt.Sprintf("%s INFO bot=BOT%d snapshot ok balance_usdt=%d.%02d secret=**** passphrase=**** token=%s",
			g.ts(i), bot, g.r.IntN(100000), g.r.IntN(100), mask)
	case 3:
		return fmt.Sprintf("%s WARN bot=BOT%d ws reconnect attempt=%d reason=timeout auth=ok api_key=%s",
			g.ts(i), bot, g.r.IntN(9), mask)
	case 4:
		return fmt.Sprintf("%s INFO bot=BOT%d fill trade_id=%d order_id=%d fee=0.%04d build=%s",
			g.ts(i), bot, g.r.Int64N(9e15), g.r.Int64N(9e12), g.r.IntN(10000), g.pick(hexDigits, 40))
	case 5:
		return fmt.Sprintf("%s INFO bot=BOT%d risk check passed exposure=%d.%02d limit=%d password_policy=ok",
			g.ts(i), bot, g.r.IntN(10000), g.r.IntN(100), 50000)
	case 6:
		return fmt.Sprintf("%s DEBUG bot=BOT%d signal=%s strength=0.%03d window=%dm",
			g.ts(i), bot, []string{"long", "short", "flat"}[g.r.IntN(3)], g.r.IntN(1000), 1+g.r.IntN(60))
	}
	return fmt.Sprintf("%s INFO bot=BOT%d heartbeat uptime_s=%d mem_mb=%d", g.ts(i), bot, g.r.IntN(1e6), 100+g.r.IntN(900))
}

// reportJSON is a report full of sha256 checksums, commit hashes and ids.
func (g *gen) reportJSON(lines int) []string {
	out := []string{"{", `  "generated_at": "2026-11-25T10:00:00Z",`, `  "artifacts": [`}
	for i := 0; i < lines; i++ {
		out = append(out, fmt.Sprintf(`    {"name": "bot-%d.tar.gz", "sha256": "%s", "commit": "%s", "order_id": "%d", "api_key": "****%s", "status": "ok"},`,
			i, g.pick(hexDigits, 64), g.pick(hexDigits, 40), g.r.Int64N(9e15), g.pick(hexDigits, 4)))
	}
	return append(out, `    {"name": "end"}`, "  ]", "}")
}

// runbookLines are Markdown with templates, variable names and masks.
func (g *gen) runbookLines(n int) []string {
	stock := []string{
		"# Runbook: bot credentials",
		"Variables live in env/.env on the host: BOT1_BITGET_API_KEY, BOT1_BITGET_API_SECRET, BOT1_BITGET_PASSPHRASE.",
		"    BOT1_BITGET_API_KEY=<your key>",
		"    BOT1_BITGET_API_SECRET=${BOT1_BITGET_API_SECRET}",
		"    REDIS_PASSWORD=changeme",
		"Check the masked suffix in the snapshot report: key ****ABCD, status ok.",
		"Run `docker compose --env-file env/.env -f compose/docker-compose.yml up -d --force-recreate exchange-snapshot-service bot1`.",
		"| bot | status | key |",
		"|---|---|---|",
	}
	var out []string
	for len(out) < n {
		out = append(out, stock[g.r.IntN(len(stock))])
		out = append(out, fmt.Sprintf("Step %d: verify release %s (sha256 %s).", len(out), g.pick(hexDigits, 12), g.pick(hexDigits, 64)))
	}
	return out
}

// plant returns a synthetic secret line of a kind both tools know (and
// Bitget ones, which only keygate knows).
func (g *gen) plant() (kind, line string) {
	switch g.r.IntN(6) {
	case 0:
		return "aws-access-key-id", "aws_access_key_id = AKIA" + g.pick(base32, 16)
	case 1:
		return "github-pat", "GITHUB_TOKEN=" + g.githubToken()
	case 2:
		return "stripe-key", "STRIPE_KEY=sk_live_" + g.pick(alnum, 32)
	case 3:
		return "bitget-api-key", "BOT3_BITGET_API_KEY=bg_" + g.pick(hexDigits, 32)
	case 4:
		return "redis-password", "REDIS_PASSWORD=" + g.pick(alnum, 20)
	}
	// 128 characters: 96 bytes, as the DER header MF4 (30 5e) declares; a
	// body shorter than its header declares is a dummy, not a key.
	return "private-key", "-----BEGIN RSA PRIVATE KEY-----\n" + "MF4C" + g.pick(alnum, 58) + "Ag\n" + g.pick(alnum, 64) + "\n-----END RSA PRIVATE KEY-----"
}

func join(lines []string) string { return strings.Join(lines, "\n") + "\n" }
