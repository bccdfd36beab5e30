package detector

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/keygate/keygate/detector/literal"
	"github.com/keygate/keygate/rules"
)

// FiltersFile is the generated table of the default pack's pattern
// filters, in detector/.
const FiltersFile = "filters_gen.go"

// FiltersSource returns FiltersFile as the generator writes it for the
// default pack: each pattern's patternFilterOf, computed ahead of time so
// that a start-up derives none (deriving a filter costs some 60 µs a rule,
// and a one-file commit hook opened windows for a hundred rules). It is
// exported for the generator (detector/internal/gentables, run by `go
// generate ./rules`) and the test that keeps the checked-in file fresh.
func FiltersSource() ([]byte, error) {
	p, err := rules.Default()
	if err != nil {
		return nil, err
	}
	var patterns []string
	for _, r := range p.Rules {
		patterns = append(patterns, r.Pattern)
	}
	slices.Sort(patterns)
	patterns = slices.Compact(patterns)

	// Classes are shared: a few dozen distinct ones serve every pattern.
	index := map[literal.Class]int{}
	var classes []*literal.Class
	ref := func(c *literal.Class) string {
		if c == nil {
			return "nil"
		}
		i, ok := index[*c]
		if !ok {
			i = len(classes)
			index[*c] = i
			classes = append(classes, c)
		}
		return fmt.Sprintf("&filterClasses[%d]", i)
	}
	var entries bytes.Buffer
	for _, pat := range patterns {
		f := patternFilterOf(pat)
		fmt.Fprintf(&entries, "{pattern: %s, filter: patternFilter{", strconv.Quote(pat))
		if f.tokens != nil {
			entries.WriteString("tokens: []literal.Token{")
			for _, t := range f.tokens {
				fmt.Fprintf(&entries, "{Class: %s, Min: %d, Max: %d, Bounded: %t}, ", ref(t.Class), t.Min, t.Max, t.Bounded)
			}
			entries.WriteString("}, ")
		}
		if f.need != nil {
			fmt.Fprintf(&entries, "need: %s, ", quoteAll(f.need))
		}
		if f.exact != nil {
			fmt.Fprintf(&entries, "exact: %s, ", quoteAll(f.exact))
		}
		if f.assign != nil {
			entries.WriteString("assign: []literal.Assignment{")
			for _, a := range f.assign {
				fmt.Fprintf(&entries, "{Names: %s, Before: %s, Op: %s, After: %s, Value: %s, Last: %s, Word: %s, Ends: %s, Cap: %d, CapMin: %d, CapBytes: %s",
					quoteAll(a.Names), ref(a.Before), ref(a.Op), ref(a.After), ref(a.Value), ref(a.Last), strconv.Quote(a.Word), ref(a.Ends), a.Cap, a.CapMin, ref(a.CapBytes))
				if a.WordGap != nil {
					fmt.Fprintf(&entries, ", WordGap: %s, WordEnd: %d", ref(a.WordGap), a.WordEnd)
				}
				if a.Lead != nil {
					fmt.Fprintf(&entries, ", Lead: %s", quoteAll(a.Lead))
				}
				entries.WriteString("}, ")
			}
			entries.WriteString("}, ")
		}
		entries.WriteString("}},\n")
	}

	return generatedSource(FiltersFile, func(b *bytes.Buffer) {
		b.WriteString("import \"github.com/keygate/keygate/detector/literal\"\n\n")
		b.WriteString("// filterClasses are the byte classes defaultFilters use.\n")
		b.WriteString("var filterClasses = [...]literal.Class{\n")
		for _, c := range classes {
			b.WriteString("{")
			for k, in := range c {
				if in {
					fmt.Fprintf(b, "%d: true, ", k)
				}
			}
			b.WriteString("},\n")
		}
		b.WriteString("}\n\n")
		b.WriteString("// defaultFilters are patternFilterOf each default pack pattern, sorted by pattern.\n")
		b.WriteString("var defaultFilters = [...]patternEntry{\n")
		b.Write(entries.Bytes())
		b.WriteString("}\n")
	})
}

func quoteAll(ss []string) string {
	if ss == nil {
		return "nil"
	}
	var b bytes.Buffer
	b.WriteString("[]string{")
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	b.WriteString("}")
	return b.String()
}
