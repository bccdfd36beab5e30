package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// check reports how many planted secrets each tool found (by path and
// line; for history, by path and kind) and whether keygate found every one
// that gitleaks found.
func check(plantedPath, keygatePath, gitleaksPath, root string) error {
	var planted []Planted
	if err := readJSON(plantedPath, &planted); err != nil {
		return err
	}
	var kg struct {
		Findings []struct {
			Path string `json:"path"`
			Line int    `json:"line"`
		} `json:"findings"`
	}
	if err := readJSON(keygatePath, &kg); err != nil {
		return err
	}
	var gl []struct {
		File      string `json:"File"`
		StartLine int    `json:"StartLine"`
	}
	if gitleaksPath != "" {
		if err := readJSON(gitleaksPath, &gl); err != nil {
			return err
		}
	}
	history := len(planted) > 0 && planted[0].Line == 0
	key := func(path string, line int) string {
		if history {
			return path
		}
		return fmt.Sprintf("%s:%d", path, line)
	}
	kgSet, glSet := map[string]bool{}, map[string]bool{}
	for _, f := range kg.Findings {
		kgSet[key(f.Path, f.Line)] = true
	}
	for _, f := range gl {
		// gitleaks names files as it was given them: absolute for `dir`.
		path := strings.TrimPrefix(strings.TrimPrefix(f.File, root+"/"), "./")
		glSet[key(path, f.StartLine)] = true
	}
	var kgFound, glFound, missed int
	byKind := map[string][2]int{}
	for _, p := range planted {
		k := key(p.Path, p.Line)
		c := byKind[p.Kind]
		if kgSet[k] {
			kgFound++
			c[0]++
		}
		if glSet[k] {
			glFound++
			c[1]++
			if !kgSet[k] {
				missed++
			}
		}
		byKind[p.Kind] = c
	}
	fmt.Printf("planted %d: keygate found %d, gitleaks found %d; found by gitleaks but not keygate: %d\n", len(planted), kgFound, glFound, missed)
	for kind, c := range byKind {
		fmt.Printf("  %-20s keygate %d  gitleaks %d\n", kind, c[0], c[1])
	}
	if missed > 0 {
		return fmt.Errorf("keygate missed %d planted secrets that gitleaks found", missed)
	}
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
