// Command genkeywords writes detector/keywords_gen.go, the default pack's
// keyword automaton computed ahead of time (see detector.KeywordsSource).
// `go generate ./rules` runs it after the pack itself, from rules/, with
// the output path as its argument.
package main

import (
	"fmt"
	"os"

	"github.com/keygate/keygate/detector"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genkeywords PATH")
		os.Exit(2)
	}
	src, err := detector.KeywordsSource()
	if err == nil {
		err = os.WriteFile(os.Args[1], src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genkeywords:", err)
		os.Exit(1)
	}
}
