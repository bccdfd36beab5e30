// Command gen writes keygate's JSON Schemas into the working directory
// (run by `go generate ./schema`).
package main

import (
	"fmt"
	"os"

	"github.com/keygate/keygate/schema"
)

func main() {
	files, err := schema.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for name, data := range files {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
