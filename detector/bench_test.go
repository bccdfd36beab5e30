package detector

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/keygate/keygate/rules"
)

// benchLog is about 4 MB of bot log: masked credentials on most lines, as
// the policy's safe-logging rules allow, and one real key per 1,000 lines.
func benchLog() []byte {
	r := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	for i := 0; b.Len() < 4<<20; i++ {
		switch {
		case i%1000 == 999:
			fmt.Fprintf(&b, "2026-11-25T10:00:00Z ERROR bot=BOT1 auth failed key=bg_%032x\n", r.Uint64())
		case i%3 == 0:
			fmt.Fprintf(&b, "2026-11-25T10:00:00Z INFO bot=BOT1 order placed order_id=%d symbol=BTCUSDT api_key=****%04x status=ok\n", r.Int64N(9e12), r.IntN(65536))
		case i%3 == 1:
			fmt.Fprintf(&b, "2026-11-25T10:00:00Z INFO bot=BOT2 snapshot ok secret=**** passphrase=**** token=****%04x\n", r.IntN(65536))
		default:
			fmt.Fprintf(&b, "2026-11-25T10:00:00Z DEBUG bot=BOT3 fill trade_id=%d sha256=%016x%016x\n", r.Int64N(9e15), r.Uint64(), r.Uint64())
		}
	}
	return []byte(b.String())
}

func benchDetector(b *testing.B, d *Detector, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := d.Scan(data, "data/bot1/logs/bot1.log"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectorPack is the whole default pack over bot logs.
func BenchmarkDetectorPack(b *testing.B) {
	benchDetector(b, defaultDetector(b), benchLog())
}

// BenchmarkDetectorFamily runs one family of rules at a time, to show
// which cost what.
func BenchmarkDetectorFamily(b *testing.B) {
	families := map[string]func(id string) bool{
		"bitget":    func(id string) bool { return strings.Contains(id, "bitget") },
		"inventory": func(id string) bool { return id == "bot-password" || id == "redis-password" },
		"headers":   func(id string) bool { return strings.HasSuffix(id, "-header") || id == "signed-payload" },
		"urls":      func(id string) bool { return strings.Contains(id, "url") },
		"exchanges": func(id string) bool { return strings.HasSuffix(id, "-credential") && !strings.Contains(id, "bitget") },
		"tokens": func(id string) bool {
			return strings.Contains(id, "token") || strings.Contains(id, "key-id") || strings.Contains(id, "webhook") || id == "jwt" || id == "stripe-key" || id == "google-api-key"
		},
		"generic": func(id string) bool { return id == "generic-secret-assignment" },
	}
	data := benchLog()
	full, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"bitget", "inventory", "headers", "urls", "exchanges", "tokens", "generic"} {
		p := *full
		p.Rules = nil
		for _, r := range full.Rules {
			if families[name](r.ID) {
				p.Rules = append(p.Rules, r)
			}
		}
		d, err := New(&p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) { benchDetector(b, d, data) })
	}
}

// BenchmarkKnownValues compares the scan with 0 and 50 active values: all
// values and their variants share the keyword automaton's single pass.
func BenchmarkKnownValues(b *testing.B) {
	data := benchLog()
	p, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{0, 1, 50} {
		var kv []KnownValue
		r := rand.New(rand.NewPCG(3, 3))
		for i := 0; i < n; i++ {
			kv = append(kv, KnownValue{Name: fmt.Sprintf("BOT%d_BITGET_PASSPHRASE", i), Value: fmt.Sprintf("Pass%08xWord%04x", r.Uint32(), i)})
		}
		d, err := New(p, kv...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("values=%d", n), func(b *testing.B) { benchDetector(b, d, data) })
	}
}

// BenchmarkKeywordAutomaton is the prefilter alone.
func BenchmarkKeywordAutomaton(b *testing.B) {
	d := defaultDetector(b)
	data := benchLog()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var hits keywordHits
	for b.Loop() {
		n := 0
		d.keywords.scan(data, &hits, func(int, int) { n++ })
	}
}

// BenchmarkScanVersion scans the next version of a 2,000-line file that
// changes 20 lines (as a history scan does) against a full scan of it;
// throughput counts the whole version.
func BenchmarkScanVersion(b *testing.B) {
	d := defaultDetector(b)
	lines := strings.Split(string(benchLog()[:400<<10]), "\n")[:2000]
	old := []byte(strings.Join(lines, "\n"))
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		lines[r.IntN(len(lines))] = fmt.Sprintf("2026-11-25T10:00:01Z INFO bot=BOT1 changed api_key=****%04x", r.IntN(65536))
	}
	next := []byte(strings.Join(lines, "\n"))
	prev, err := d.ScanVersion(old, "bot.log", nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		prev *Version
	}{{"changed-lines", prev}, {"whole", nil}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(next)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.ScanVersion(next, "bot.log", c.prev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWordRuns is the bare-mnemonic prefilter alone over bot logs
// and over prose (the README), next to BenchmarkKeywordAutomaton.
func BenchmarkWordRuns(b *testing.B) {
	prose, err := os.ReadFile("../README.md")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"log", benchLog()}, {"prose", bytes.Repeat(prose, 8)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				wordRuns(c.data, func(int, int) {})
			}
		})
	}
}
