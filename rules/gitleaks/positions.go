package gitleaks

import (
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// positions maps a key path ("rules[2].allowlists[0].regexTarget",
// "rules[2]" for the table itself) to its line in the TOML file: the
// decoder gives values without places, and every error must name one.
type positions map[string]int

// locate walks data's tables and keys. data has already decoded, so a
// parse error cannot happen here; the walk just stops if one does.
func locate(data []byte) positions {
	pos := positions{}
	counts := map[string]int{} // array-of-tables path -> tables so far
	var p unstable.Parser
	p.Reset(data)
	line := func(n *unstable.Node) (l int) {
		if n.Raw.Length > 0 {
			return p.Shape(n.Raw).Start.Line
		}
		// Range panics when Data was allocated (an escaped key) instead
		// of sliced from data; then the enclosing table's line serves.
		defer func() {
			if recover() != nil {
				l = 0
			}
		}()
		return p.Shape(p.Range(n.Data)).Start.Line
	}
	// resolve turns key parts into a path, indexing arrays of tables by
	// their latest element, as TOML does.
	resolve := func(parts []string) string {
		path := ""
		for i, part := range parts {
			if i > 0 {
				path += "."
			}
			path += part
			if n, ok := counts[path]; ok {
				path += fmt.Sprintf("[%d]", n-1)
			}
		}
		return path
	}
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		var parts []string
		var first *unstable.Node
		if e.Kind == unstable.KeyValue || e.Kind == unstable.Table || e.Kind == unstable.ArrayTable {
			it := e.Key()
			for it.Next() {
				if first == nil {
					first = it.Node()
				}
				parts = append(parts, string(it.Node().Data))
			}
		}
		if first == nil {
			continue
		}
		switch e.Kind {
		case unstable.Table:
			table = resolve(parts)
			pos[table] = line(first)
		case unstable.ArrayTable:
			parent := resolve(parts[:len(parts)-1])
			name := parts[len(parts)-1]
			if parent != "" {
				name = parent + "." + name
			}
			counts[name]++
			table = fmt.Sprintf("%s[%d]", name, counts[name]-1)
			pos[table] = line(first)
			if _, ok := pos[name]; !ok {
				pos[name] = line(first) // the array's first table
			}
		case unstable.KeyValue:
			key := strings.Join(parts, ".")
			if table != "" {
				key = table + "." + key
			}
			pos[key] = line(first)
		}
	}
	return pos
}

// at returns the line of path, or of the nearest enclosing table.
func (pos positions) at(path string) int {
	for path != "" {
		if l, ok := pos[path]; ok && l > 0 {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 1
}
