// Command genfilters writes detector/filters_gen.go, the default pack's
// pattern filters computed ahead of time (see detector.FiltersSource).
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
		fmt.Fprintln(os.Stderr, "usage: genfilters PATH")
		os.Exit(2)
	}
	src, err := detector.FiltersSource()
	if err == nil {
		err = os.WriteFile(os.Args[1], src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genfilters:", err)
		os.Exit(1)
	}
}
