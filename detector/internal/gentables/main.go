// Command gentables writes the default pack's tables computed ahead of
// time into the detector's folder: keywords_gen.go, its keyword automaton
// (detector.KeywordsSource), and filters_gen.go, its patterns' line
// filters (detector.FiltersSource). `go generate ./rules` runs it after
// the pack itself, from rules/, with the detector's folder as argument.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/keygate/keygate/detector"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gentables DIR")
		os.Exit(2)
	}
	for _, t := range []struct {
		name string
		src  func() ([]byte, error)
	}{
		{detector.KeywordsFile, detector.KeywordsSource},
		{detector.FiltersFile, detector.FiltersSource},
	} {
		src, err := t.src()
		if err == nil {
			err = os.WriteFile(filepath.Join(os.Args[1], t.name), src, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "gentables:", err)
			os.Exit(1)
		}
	}
}
