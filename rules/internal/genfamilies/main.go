// Command genfamilies writes rules/families.gob, the parsed and validated
// form of rules/families/*.yaml that the default pack loads at start-up.
// Run it with `go generate ./rules` after editing a family file.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/keygate/keygate/rules"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genfamilies:", err)
		os.Exit(1)
	}
}

func run() error {
	// go generate runs in the directory of the file holding the directive.
	paths, err := filepath.Glob(filepath.Join("families", "*.yaml"))
	if err != nil {
		return err
	}
	sort.Strings(paths)
	var names []string
	var datas [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(p))
		datas = append(datas, data)
	}
	var buf bytes.Buffer
	if err := rules.EncodeFamilies(&buf, names, datas); err != nil {
		return err
	}
	return os.WriteFile("families.gob", buf.Bytes(), 0o644)
}
