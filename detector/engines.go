package detector

import (
	"encoding/binary"
	"regexp"
	"regexp/syntax"
	"sync"
	"sync/atomic"

	re2 "github.com/wasilibs/go-re2"
	"github.com/wasilibs/go-re2/experimental"
)

// goBudget is how many bytes of a rule's windows Go's regexp matches
// before the rule's RE2 program is compiled and takes over. Most rules
// that match at all in a scan match a few short windows: compiling their
// RE2 programs and warming their DFAs (0.5-1 ms a rule) was a tenth of the
// CPU of a history of gitleaks' repository (106 rules used), where Go's
// programs matched the same windows in microseconds. A rule that matches
// much text (the URL rule on vite's history: 6 MB, 14 times RE2's time on
// Go's) spends at most this many bytes on Go's program. 4, 16 and 64 KB
// measured alike on real and generated histories and trees (bench/RESULTS.md).
const goBudget = 4 << 10

// engines is a rule's pattern for two regexp engines that find the same
// matches in ASCII text: Go's regexp (compiled in microseconds, fast on
// short text) and RE2 (go-re2: RE2 compiled to WebAssembly and from there
// to pure Go, so no cgo; its DFA runs far faster on long or keyword-dense
// text, where Go's regexp, which has none, ran at 1-2 MB/s on bot logs).
//
// Both read the pattern with the same syntax and leftmost-first
// semantics, and on ASCII text they read the same characters. On other
// text they do not: RE2 runs in Latin-1 mode, a byte a character, so
// invalid UTF-8 in a log neither stops nor shifts matching, where Go's
// regexp reads a two-byte character as one (`[^"]{20}` counts it once)
// and invalid bytes as U+FFFD. So text holding any byte from 0x80 up is
// always RE2's. TestEnginesAgree and FuzzEngines hold the two to the
// same matches.
type engines struct {
	pattern string
	goRE    *regexp.Regexp
	// goLeft is what remains of goBudget; once negative, it stays so.
	goLeft atomic.Int64

	re2Once sync.Once
	re2     *re2.Regexp
	re2Err  error
}

// goMaxProgram bounds the patterns Go's regexp runs, in instructions of
// its compiled program: it reads a text at a cost that grows with both
// (no DFA), so a larger one (an extra pack's) runs on RE2 from the
// start. The default pack's largest has 1,292.
const goMaxProgram = 2000

// prepare compiles Go's program for pattern; RE2's waits for program.
func (e *engines) prepare(pattern string) error {
	e.pattern = pattern
	re, err := regexp.Compile(pattern)
	if err != nil || !smallProgram(pattern) {
		// The pack's validation parses every pattern as Go's regexp
		// does, so a failure here is a pattern built around it: RE2
		// runs it all, as it does a large one.
		_, err = e.program()
		return err
	}
	e.goRE = re
	e.goLeft.Store(goBudget)
	return nil
}

// smallProgram reports whether pattern compiles, as Go's regexp compiles
// it, to at most goMaxProgram instructions.
func smallProgram(pattern string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return false
	}
	prog, err := syntax.Compile(re.Simplify())
	return err == nil && len(prog.Inst) <= goMaxProgram
}

// program is the pattern's RE2 program, compiled on first use.
func (e *engines) program() (*re2.Regexp, error) {
	e.re2Once.Do(func() { e.re2, e.re2Err = compilePattern(e.pattern) })
	return e.re2, e.re2Err
}

// findAll is FindAllSubmatchIndex of the pattern in b: Go's program while
// the budget lasts and b is ASCII, RE2's after.
func (e *engines) findAll(b []byte) ([][]int, error) {
	n := int64(len(b))
	if e.goRE != nil && e.goLeft.Load() >= n && asciiText(b) && e.goLeft.Add(-n) >= 0 {
		return e.goRE.FindAllSubmatchIndex(b, -1), nil
	}
	re, err := e.program()
	if err != nil {
		return nil, err
	}
	return re.FindAllSubmatchIndex(b, -1), nil
}

// asciiText reports whether b holds no byte from 0x80 up, a word at a time.
func asciiText(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// patterns holds each pattern's RE2 program, compiled once a process: a
// compiled RE2 program is immutable and safe for concurrent use, and a
// process that builds several detectors over the same pack (a service
// redacting per request, the tests) compiled every pattern each time.
var patterns sync.Map // pattern → *re2.Regexp

// compilePattern is pattern compiled by RE2 in Latin-1 mode, once a
// process.
func compilePattern(pattern string) (*re2.Regexp, error) {
	if re, ok := patterns.Load(pattern); ok {
		return re.(*re2.Regexp), nil
	}
	re, err := experimental.CompileLatin1(pattern)
	if err != nil {
		return nil, err
	}
	actual, _ := patterns.LoadOrStore(pattern, re)
	return actual.(*re2.Regexp), nil
}
