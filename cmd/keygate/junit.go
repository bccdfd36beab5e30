package main

import (
	"fmt"

	"github.com/keygate/keygate/internal/atomicfile"
	"github.com/keygate/keygate/report"
)

// writeJUnit writes the report as JUnit XML for --junit, atomically like
// the other report files.
func writeJUnit(path string, rep *report.Report) error {
	data, err := report.JUnit(rep)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return fmt.Errorf("write junit %s: %w", path, err)
	}
	return nil
}
