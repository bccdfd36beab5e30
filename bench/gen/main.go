// Command gen builds keygate's benchmark inputs, deterministically from a
// seed: a trading-ops tree of N MB (bot logs with masked keys on most lines,
// JSON reports full of sha256 checksums, Markdown runbooks) with planted
// secrets at a known rate, and a synthetic git history of N commits (written
// with git fast-import). It also checks which planted secrets a tool found.
//
//	gen tree    -out DIR -mb 200 -seed 1
//	gen opstree -out DIR -mb 50 -seed 1  (keyword-dense: configs, code, CI, notes, request logs)
//	gen history -out DIR -commits 1000 [-scale 10] -seed 1
//	gen envfile -out FILE -values 50 -seed 1
//	gen check   -planted DIR/planted.json -keygate K.json -gitleaks G.json [-root DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gen tree|opstree|history|envfile|check [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	out := fs.String("out", "", "output directory (or file)")
	seed := fs.Uint64("seed", 1, "random seed")
	mb := fs.Int("mb", 200, "tree size in MB")
	commits := fs.Int("commits", 1000, "history length")
	scale := fs.Int("scale", 1, "history: file size and lines changed per commit, as a multiple")
	values := fs.Int("values", 50, "active values in the env file")
	planted := fs.String("planted", "", "planted.json")
	kg := fs.String("keygate", "", "keygate report (latest.json)")
	gl := fs.String("gitleaks", "", "gitleaks JSON report")
	root := fs.String("root", "", "directory gitleaks scanned (stripped from its paths)")
	_ = fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "tree":
		err = genTree(*out, *mb, *seed)
	case "opstree":
		err = genOpsTree(*out, *mb, *seed)
	case "history":
		err = genHistory(*out, *commits, *scale, *seed)
	case "envfile":
		err = genEnv(*out, *values, *seed)
	case "check":
		err = check(*planted, *kg, *gl, strings.TrimSuffix(*root, "/"))
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
