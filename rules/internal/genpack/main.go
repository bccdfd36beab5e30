// Command genpack writes rules/default_gen.go, the default rule pack parsed
// and validated ahead of time (see package packsrc). Run it with
// `go generate ./rules` after editing rules/default.yaml or a family file.
package main

import (
	"fmt"
	"os"

	"github.com/keygate/keygate/rules/internal/packsrc"
)

func main() {
	// go generate runs in the directory of the file holding the directive.
	src, err := packsrc.Source(os.DirFS("."))
	if err == nil {
		err = os.WriteFile(packsrc.FileName, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genpack:", err)
		os.Exit(1)
	}
}
