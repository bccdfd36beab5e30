package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// genHistory writes a repository of n commits: about 300 files of a few KB
// times scale (code, configs, docs), each commit rewriting scale times one
// to five lines of one to three files;
// about one commit in 30 plants a secret, half of which a later commit
// deletes again. The stream goes through `git fast-import`, so 1,000
// commits take a second or two.
func genHistory(out string, n, scale int, seed uint64) error {
	if scale < 1 {
		scale = 1
	}
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	g := newGen(seed)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if b, err := exec.Command("git", "init", "-q", "-b", "main", out).CombinedOutput(); err != nil {
		return fmt.Errorf("git init: %v: %s", err, b)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdin, 1<<20)

	files := map[string][]string{}
	var names []string
	newFile := func() string {
		var name string
		var lines []string
		switch len(names) % 3 {
		case 0:
			name = fmt.Sprintf("src/bot/module_%03d.py", len(names))
			for i := 0; i < scale*(60+g.r.IntN(120)); i++ {
				lines = append(lines, fmt.Sprintf("    value_%d = compute(order_id=%d, symbol=%q)  # %s", i, g.r.Int64N(9e12), symbols[g.r.IntN(5)], g.pick(hexDigits, 12)))
			}
		case 1:
			name = fmt.Sprintf("docs/notes/note_%03d.md", len(names))
			lines = g.runbookLines(scale * (40 + g.r.IntN(80)))
		default:
			name = fmt.Sprintf("config/service_%03d.yaml", len(names))
			for i := 0; i < scale*(40+g.r.IntN(60)); i++ {
				lines = append(lines, fmt.Sprintf("key_%d: %s  # sha256 %s", i, g.pick(alnum, 10), g.pick(hexDigits, 64)))
			}
		}
		names = append(names, name)
		files[name] = lines
		return name
	}
	for len(names) < 300 {
		newFile()
	}
	type plant struct {
		path, line string
		commit     int
	}
	var planted []Planted
	var live []plant
	mark := 0
	for c := 1; c <= n; c++ {
		changed := map[string]bool{}
		for k := 0; k < 1+g.r.IntN(3); k++ {
			name := names[g.r.IntN(len(names))]
			if g.r.IntN(20) == 0 {
				name = newFile()
			}
			lines := files[name]
			for e := 0; e < scale*(1+g.r.IntN(5)); e++ {
				i := g.r.IntN(len(lines))
				lines[i] = strings.Replace(lines[i], lines[i][len(lines[i])/2:], g.pick(alnum, 8), 1)
			}
			files[name] = lines
			changed[name] = true
		}
		if g.r.IntN(30) == 0 {
			name := names[g.r.IntN(len(names))]
			kind, line := g.plant()
			lines := files[name]
			i := g.r.IntN(len(lines))
			files[name] = append(lines[:i], append([]string{line}, lines[i:]...)...)
			changed[name] = true
			planted = append(planted, Planted{Path: name, Line: 0, Kind: kind})
			live = append(live, plant{name, line, c})
		}
		if len(live) > 0 && g.r.IntN(60) == 0 {
			p := live[0]
			live = live[1:]
			lines := files[p.path]
			for i, l := range lines {
				if l == p.line {
					files[p.path] = append(lines[:i], lines[i+1:]...)
					changed[p.path] = true
					break
				}
			}
		}
		var paths []string
		for p := range changed {
			paths = append(paths, p)
		}
		sortStrings(paths)
		for _, p := range paths {
			mark++
			data := join(files[p])
			fmt.Fprintf(w, "blob\nmark :%d\ndata %d\n%s\n", mark, len(data), data)
			files[p+"\x00mark"] = []string{fmt.Sprint(mark)}
		}
		when := 1764000000 + int64(c)*600
		msg := fmt.Sprintf("change %d", c)
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Bench Bot <bench@synthetic.invalid> %d +0000\ndata %d\n%s\n", when, len(msg), msg)
		for _, p := range paths {
			fmt.Fprintf(w, "M 100644 :%s %s\n", files[p+"\x00mark"][0], p)
		}
		w.WriteString("\n")
	}
	if err := w.Flush(); err != nil {
		return err
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	if b, err := exec.Command("git", "-C", out, "reset", "-q", "--hard", "main").CombinedOutput(); err != nil {
		return fmt.Errorf("git reset: %v: %s", err, b)
	}
	data, _ := json.MarshalIndent(planted, "", "  ")
	fmt.Printf("history: %d commits in %s, %d planted secrets (%d still in HEAD)\n", n, out, len(planted), len(live))
	return os.WriteFile(filepath.Join(out, "..", filepath.Base(out)+".planted.json"), data, 0o644)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
