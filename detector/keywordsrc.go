package detector

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/keygate/keygate/rules"
)

// KeywordsFile is the generated automaton of the default pack's keywords,
// in detector/.
const KeywordsFile = "keywords_gen.go"

// KeywordsSource returns KeywordsFile as the generator writes it for the
// default pack: its keywords and their automaton, computed ahead of time
// so that a start-up only lays out the table (building it was a tenth of a
// one-file commit hook). It is exported for the generator
// (detector/internal/gentables, run by `go generate ./rules`) and the test
// that keeps the checked-in file fresh.
func KeywordsSource() ([]byte, error) {
	p, err := rules.Default()
	if err != nil {
		return nil, err
	}
	kws, _ := ruleKeywords(p)
	a := compileKeywords(kws)
	return generatedSource(KeywordsFile, func(b *bytes.Buffer) {
		b.WriteString("// defaultKeywords are the default pack's keywords as ruleKeywords lists them.\n")
		b.WriteString("var defaultKeywords = []string{\n")
		for _, k := range kws {
			b.WriteString(strconv.Quote(k))
			b.WriteString(",\n")
		}
		b.WriteString("}\n\n")
		b.WriteString("// defaultAutomaton is compileKeywords(defaultKeywords).\n")
		b.WriteString("var defaultAutomaton = automaton{\n")
		b.WriteString("class: [256]uint8{")
		writeInts(b, len(a.class), func(i int) int { return int(a.class[i]) })
		fmt.Fprintf(b, "},\nnclass: %d,\n", a.nclass)
		for _, f := range []struct {
			name string
			v    []int32
		}{{"order", a.order}, {"parent", a.parent}} {
			fmt.Fprintf(b, "%s: []int32{", f.name)
			writeInts(b, len(f.v), func(i int) int { return int(f.v[i]) })
			b.WriteString("},\n")
		}
		b.WriteString("edge: []uint8{")
		writeInts(b, len(a.edge), func(i int) int { return int(a.edge[i]) })
		b.WriteString("},\nfail: []int32{")
		writeInts(b, len(a.fail), func(i int) int { return int(a.fail[i]) })
		fmt.Fprintf(b, "},\nfirstOut: %d,\n", a.firstOut)
		b.WriteString("outputs: [][]int{")
		for i, out := range a.outputs {
			if i%16 == 0 {
				b.WriteString("\n")
			}
			if out == nil {
				b.WriteString("nil, ")
				continue
			}
			b.WriteString("{")
			writeInts(b, len(out), func(i int) int { return out[i] })
			b.WriteString("}, ")
		}
		b.WriteString("\n},\nlens: []int{")
		writeInts(b, len(a.lens), func(i int) int { return a.lens[i] })
		b.WriteString("},\n}\n")
	})
}

// writeInts writes n integers, comma-separated, 16 to a line when there
// are more than 16.
func writeInts(b *bytes.Buffer, n int, at func(int) int) {
	for i := range n {
		if n > 16 && i%16 == 0 {
			b.WriteString("\n")
		}
		b.WriteString(strconv.Itoa(at(i)))
		if i < n-1 || n > 16 {
			b.WriteString(", ")
		}
	}
	if n > 16 {
		b.WriteString("\n")
	}
}
