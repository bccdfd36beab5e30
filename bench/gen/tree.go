package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Planted is one planted secret: where, and of which kind.
type Planted struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Kind string `json:"kind"`
}

// plantEvery is the planting rate: one secret per this many bytes.
const plantEvery = 1 << 20

func genTree(out string, mb int, seed uint64) error { return writeTree(out, mb, seed, false) }

// genOpsTree writes the keyword-dense ops tree (opstree.go): configs, bot
// code, CI files, notes and request logs, with the same planting.
func genOpsTree(out string, mb int, seed uint64) error { return writeTree(out, mb, seed, true) }

func writeTree(out string, mb int, seed uint64, ops bool) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	g := newGen(seed)
	var planted []Planted
	total := int64(mb) << 20
	var written int64
	write := func(rel string, lines []string) error {
		// Plant one secret per plantEvery bytes, at a random line.
		size := int64(len(join(lines)))
		for n := (written+size)/plantEvery - written/plantEvery; n > 0; n-- {
			i := 1 + g.r.IntN(len(lines)-1)
			for strings.HasPrefix(lines[i-1], "-----BEGIN") {
				i = 1 + g.r.IntN(len(lines)-1) // never split a planted key block
			}
			kind, line := g.plant()
			// One element per line, so indexes stay line numbers.
			parts := strings.Split(line, "\n")
			lines = append(lines[:i], append(parts, lines[i:]...)...)
			lineNo := i + 1
			if kind == "private-key" {
				lineNo++ // the finding is on the key's first body line
			}
			// Earlier plants below the insertion move down.
			for k := range planted {
				if planted[k].Path == rel && planted[k].Line > i {
					planted[k].Line += len(parts)
				}
			}
			planted = append(planted, Planted{Path: rel, Line: lineNo, Kind: kind})
		}
		data := join(lines)
		written += int64(len(data))
		p := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(data), 0o644)
	}
	for f := 0; written < total; f++ {
		var err error
		switch {
		case ops && f%10 < 2:
			err = write(fmt.Sprintf("config/%s/bot%d-%04d.yaml", exchanges[f%len(exchanges)], 1+f%4, f), g.configLines(600))
		case ops && f%10 < 5:
			err = write(fmt.Sprintf("bots/connectors/%s/%s_auth_%04d.py", exchanges[f%len(exchanges)], exchanges[f%len(exchanges)], f), g.codeLines(800))
		case ops && f%10 == 5:
			err = write(fmt.Sprintf(".github/workflows/deploy-%04d.yml", f), g.ciLines(300))
		case ops && f%10 == 6:
			err = write(fmt.Sprintf("docs/incidents/%04d.md", f), g.noteLines(400))
		case ops:
			bot := 1 + f%4
			lines := make([]string, 0, 5000)
			for i := 0; i < 5000; i++ {
				lines = append(lines, g.authLogLine(f*5000+i, bot))
			}
			err = write(fmt.Sprintf("data/bot%d/logs/requests-%04d.log", bot, f), lines)
		case f%10 == 8:
			err = write(fmt.Sprintf("reports/run-%04d/summary.json", f), g.reportJSON(2000))
		case f%10 == 9:
			err = write(fmt.Sprintf("docs/runbooks/runbook-%04d.md", f), g.runbookLines(3000))
		default:
			bot := 1 + f%4
			lines := make([]string, 0, 40000)
			for i := 0; i < 40000; i++ {
				lines = append(lines, g.logLine(f*40000+i, bot))
			}
			err = write(fmt.Sprintf("data/bot%d/logs/bot%d-%04d.log", bot, bot, f), lines)
		}
		if err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(planted, "", "  ")
	if err != nil {
		return err
	}
	fmt.Printf("tree: %d MB in %s, %d planted secrets\n", written>>20, out, len(planted))
	return os.WriteFile(filepath.Join(out, "..", filepath.Base(out)+".planted.json"), data, 0o644)
}

func genEnv(out string, n int, seed uint64) error {
	g := newGen(seed)
	var b strings.Builder
	b.WriteString("# synthetic active values for the benchmark\n")
	for i := 0; i < n; i++ {
		bot := 1 + i/3
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "BOT%d_BITGET_API_KEY=bg_%s\n", bot, g.pick(hexDigits, 32))
		case 1:
			fmt.Fprintf(&b, "BOT%d_BITGET_API_SECRET=%s\n", bot, g.pick(hexDigits, 64))
		case 2:
			fmt.Fprintf(&b, "BOT%d_BITGET_PASSPHRASE='%s'\n", bot, g.pick(alnum, 16))
		}
	}
	return os.WriteFile(out, []byte(b.String()), 0o600)
}
