// Package detector is keygate's engine: it finds credentials in bytes. A
// literal keyword prefilter (one Aho-Corasick pass over all rules) decides
// where each rule's regex runs, and only on the lines around a keyword (a
// rule with the word-run prefilter also on the lines a skip scan for runs
// of lowercase words finds: a bare mnemonic has no keyword). It knows
// nothing of files or git: callers hand it bytes and a path label.
package detector

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/keygate/keygate/detector/placeholder"
	"github.com/keygate/keygate/rules"
)

// Sources of a finding.
const (
	SourcePattern    = "pattern"
	SourceKnownValue = "known-value"
)

// InlineAllow on the same line as a secret suppresses that finding, as do
// GitleaksAllow and PragmaAllow (see inlineAllowed).
const InlineAllow = "keygate:allow"

// Window sizes around a keyword hit for rules whose pattern can span lines.
const (
	multilineBack = 4 << 10
	multilineFwd  = 16 << 10
)

// Finding is one secret found in the scanned bytes. Secret is the raw value:
// callers must never print it, only Mask(Secret).
type Finding struct {
	RuleID   string
	Severity rules.Severity
	// Start and End are byte offsets of the secret in the scanned stream.
	Start, End int64
	// Line and Column are 1-based; Column counts characters (Unicode code
	// points), ColumnUTF16 UTF-16 code units (SARIF for GitHub).
	Line, Column int
	ColumnUTF16  int
	Secret       string
	Source       string
	EnvName      string
	// Allowed is non-empty when the finding is suppressed inline.
	Allowed string
	// Decoded names the encodings the secret was found under, outermost
	// first ("base64", "percent+base64"; "joined" for string literals
	// joined across lines); empty for plain text. Secret and the offsets
	// are then those of the encoded text.
	Decoded string
}

type compiledRule struct {
	rule      *rules.Rule
	index     int
	multiline bool
	// prefiltered: the rule's windows come from its prefilter alone, which
	// finds every line its pattern can match; its keywords open none.
	prefiltered bool
	// nonLocal: a match may depend on more than its own line (it can
	// span lines, or anchors at the start or end of the text).
	nonLocal bool
	// checksum, when not nil, must accept the secret (see checksum.go);
	// block, when not nil, the text around it (a private key's block),
	// when scanning: a redactor masks a dummy key as readily as a key.
	checksum func(string) bool
	block    func(buf []byte, start, end int) blockVerdict
	// words: the secret is a BIP-39 mnemonic whose checksum held; a list
	// word (example, test) in it is no placeholder.
	words bool
	once  sync.Once
	allow []*regexp.Regexp
	err   error
	// engines runs the pattern (see engines.go).
	engines
	// lines, when not nil, is what a window's line must hold for the
	// pattern to match in it (see windowfilter.go), derived on first use
	// (linesOnce) before the pattern is compiled: most rules' windows are
	// all dropped, and compiling their RE2 programs cost more than
	// scanning.
	linesOnce sync.Once
	lines     *lineFilter
}

// lineFilter returns c's line filter, derived once.
func (c *compiledRule) lineFilter() *lineFilter {
	c.linesOnce.Do(func() { c.lines = newLineFilter(c) })
	return c.lines
}

// compile prepares what matching the rule needs on first use: its
// allowlists (Go's regexp: they judge short secrets) and Go's program for
// its pattern. Its RE2 program is compiled later, where a rule matches
// enough text to repay it (see engines.go): a one-file staged scan touches
// few rules, and compiling all of them would dominate its time.
func (c *compiledRule) compile() error {
	c.once.Do(func() {
		if c.err = c.prepare(c.rule.Pattern); c.err != nil {
			c.err = fmt.Errorf("rule %s: %w", c.rule.ID, c.err)
			return
		}
		for _, a := range c.rule.Allow {
			re, err := regexp.Compile(a)
			if err != nil {
				c.err = fmt.Errorf("rule %s allow: %w", c.rule.ID, err)
				return
			}
			c.allow = append(c.allow, re)
		}
	})
	return c.err
}

// Detector is a compiled rule pack. It is safe for concurrent use.
type Detector struct {
	pack  *rules.Pack
	rules []*compiledRule
	byID  map[string]int
	// lineLocal is true when every finding lies within one line and
	// depends on that line alone (see ScanVersion).
	lineLocal    bool
	keywords     *keywordSet
	keywordRules [][]int // keyword id -> rule indexes
	// nonLocalKW are the non-local rules' keywords alone, for a history
	// version's rescan of those rules over its whole text (ScanVersion).
	nonLocalKW   func() keywordIndex
	placeholders *placeholder.Set
	pathRules    bool      // some rule is limited by paths, or the pack's allow_paths
	scoped       []int     // the rules limited by their own paths or allow_paths
	wordRunRules []int     // rules with the word-run prefilter (wordrun.go)
	ruleKW       int       // automaton ids at or above this are known-value variants
	scratch      sync.Pool // *findScratch
	variants     []variant
	known        []KnownValue
	warnings     []string
}

// New compiles a validated pack, with the active credential values to find
// in any encoding (see Variants).
func New(pack *rules.Pack, known ...KnownValue) (*Detector, error) {
	d := &Detector{pack: pack, byID: make(map[string]int, len(pack.Rules))}
	var kws []string
	kws, d.keywordRules = ruleKeywords(pack)
	for i := range pack.Rules {
		r := &pack.Rules[i]
		sc, err := r.LineScope()
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.ID, err)
		}
		ml, anchored := sc.SpansLines, sc.AnchorsText
		check, block, err := checksumFor(r)
		if err != nil {
			return nil, err
		}
		words := r.Checksum == rules.ChecksumBIP39 || r.Checksum == rules.ChecksumBIP39Whole
		d.rules = append(d.rules, &compiledRule{rule: r, index: i, multiline: ml, nonLocal: ml || anchored, checksum: check, block: block, words: words})
		d.byID[r.ID] = i
		if r.Prefilter == rules.PrefilterWordRun {
			d.wordRunRules = append(d.wordRunRules, i)
			d.rules[i].prefiltered = true
		}
		if len(r.Paths) > 0 || len(r.AllowPaths) > 0 {
			d.scoped = append(d.scoped, i)
		}
		if len(r.Paths) > 0 || len(r.AllowPaths) > 0 || len(pack.Allow.Paths) > 0 {
			d.pathRules = true
		}
	}
	var err error
	if d.placeholders, err = placeholder.New(pack.Allow.Placeholders); err != nil {
		return nil, err
	}
	// Known values share the keyword automaton: one pass finds both, so 50
	// values cost about what one does.
	d.ruleKW = len(kws)
	d.scratch.New = d.newScratch
	d.variants = d.addKnown(known)
	for _, v := range d.variants {
		kws = append(kws, v.text)
	}
	d.keywords = keywordSetFor(kws)
	d.nonLocalKW = sync.OnceValue(d.nonLocalKeywords)
	d.lineLocal = true
	for _, k := range kws {
		if strings.IndexByte(k, '\n') >= 0 {
			d.lineLocal = false // a keyword or known value across lines
		}
	}
	return d, nil
}

// Warnings are notes about the configuration (values too short to search),
// naming variables, never values.
func (d *Detector) Warnings() []string { return append([]string(nil), d.warnings...) }

// KnownValues reports how many active values are searched.
func (d *Detector) KnownValues() int { return len(d.known) }

// Pack returns the rule pack the detector was built from.
func (d *Detector) Pack() *rules.Pack { return d.pack }

// IsPlaceholder reports whether v is a template, mask, reference or other
// safe stand-in: the pack's placeholders and the shared built-in shapes
// (see package placeholder), the one check every rule's matches pass.
func (d *Detector) IsPlaceholder(v string) bool {
	return d.placeholders.Is(v)
}

// rawMatch is a candidate before filtering and positioning; offsets are
// relative to the buffer being scanned.
type rawMatch struct {
	start, end int
	rank       int // lower wins when spans overlap
	rule       int // index into d.rules, or -1 for a known value
	envName    string
	secret     string
	allowed    string
	decoded    string // encodings, for a match in decoded text (see Finding.Decoded)
	// commaSep: the rule's separator before the secret was a comma (the
	// `"NAME", "value"` form), which counts only in a call or a list.
	commaSep bool
}

// matchers says what a scan runs: every rule (those that apply to the
// path) or one rule, and whether the active values are searched too.
type matchers struct {
	rule  int // the one rule's index, or anyRule
	known bool
}

const anyRule = -1

// everything is an ordinary scan: every rule and the active values.
var everything = matchers{rule: anyRule, known: true}

// rulesOnly runs the rules and no active value (decoded text, whose
// values are matched by their encoded forms instead).
var rulesOnly = matchers{rule: anyRule}

// oneRule runs rule i alone (a rule's examples).
func oneRule(i int) matchers { return matchers{rule: i} }

// findScratch is find's per-call state, kept in a pool: with 300 rules,
// allocating and clearing it for each small blob of a history was a tenth
// of the scan. Only the entries a call touched are reset.
type findScratch struct {
	windows   [][]window // per rule
	covered   []int      // per rule: buf offset windowed up to (0: none)
	coveredKW []int      // per keyword: hits before it open nothing new
	touched   []int      // rules with windows
	touchedKW []int
	kwHits    keywordHits
}

func (d *Detector) newScratch() any {
	return &findScratch{windows: make([][]window, len(d.rules)), covered: make([]int, len(d.rules)),
		coveredKW: make([]int, d.ruleKW)}
}

func (d *Detector) putScratch(sc *findScratch) {
	for _, ri := range sc.touched {
		sc.windows[ri] = sc.windows[ri][:0]
		sc.covered[ri] = 0
	}
	for _, ri := range d.wordRunRules {
		sc.windows[ri] = sc.windows[ri][:0]
	}
	for _, kw := range sc.touchedKW {
		sc.coveredKW[kw] = 0
	}
	sc.touched, sc.touchedKW = sc.touched[:0], sc.touchedKW[:0]
	d.scratch.Put(sc)
}

// mergeGap joins keyword windows of one rule that are this close into one
// regex call. It was 4 KB, when a rule's windows were every line holding
// its keyword; now that the line filters drop most of them, what is left
// is sparse, and a merged call scanned the dropped lines between: on the
// ops tree and hummingbot's tree, 4 KB cost 25% and 10% more CPU than 256
// bytes, and 0-1 KB were within noise of 256 (same runs).
const mergeGap = 256

// window is a line (or, for a rule that sees past lines, a span of them)
// a rule's keyword opened. opAfter is where the first of the rule's
// keywords found on it ends (0: not known): an operator of a name holding
// one of the keywords stands no earlier.
type window struct{ start, end, opAfter int }

// find runs the prefilter and then, per rule, its regex over the lines
// around its keyword hits. nonLocal, when not nil, is set if a keyword of
// a non-local rule occurs in buf (whether or not the rule is active).
func (d *Detector) find(buf []byte, active []bool, want matchers, nonLocal *bool) ([]rawMatch, error) {
	return d.findIn(keywordIndex{d.keywords, d.keywordRules, d.ruleKW}, buf, active, want, nonLocal, nil)
}

// keywordIndex is a keyword automaton and the rules of each of its
// keywords; ids from ruleKW on are known-value variants.
type keywordIndex struct {
	set    *keywordSet
	rules  [][]int
	ruleKW int
}

// nonLocalKeywords is the index of the non-local rules' keywords alone,
// built on a history's first rescan. That rescan walked the whole
// automaton over a version's whole text, and called back for every
// keyword of every rule, to open the windows of five rules: a twentieth of
// a history scan of a repository that mentions private keys on many pages.
func (d *Detector) nonLocalKeywords() keywordIndex {
	kws, kwRules := keywordsOf(d.pack, func(i int) bool { return d.rules[i].nonLocal })
	return keywordIndex{newKeywordSet(kws), kwRules, len(kws)}
}

// findNonLocal is find of the non-local rules of active (rules only, no
// active value), through their own keywords. It appends to spans every
// window it opened, before any line filter drops one: the matches depend
// on the text of those windows alone (see keepNonLocal).
func (d *Detector) findNonLocal(buf []byte, active []bool, nonLocal *bool, spans *[]window) ([]rawMatch, error) {
	return d.findIn(d.nonLocalKW(), buf, active, rulesOnly, nonLocal, spans)
}

// findIn is find through the keyword index ix; spans, when not nil,
// gets every window opened.
func (d *Detector) findIn(ix keywordIndex, buf []byte, active []bool, want matchers, nonLocal *bool, spans *[]window) ([]rawMatch, error) {
	var out []rawMatch
	sc := d.scratch.Get().(*findScratch)
	defer d.putScratch(sc)
	windows, covered, coveredKW := sc.windows, sc.covered, sc.coveredKW
	lines := newTextLines(buf)
	ix.set.scan(buf, &sc.kwHits, func(kw, end int) {
		start := end - ix.set.lens[kw]
		if kw >= ix.ruleKW {
			if want.known {
				out = d.knownHit(out, buf, d.variants[kw-ix.ruleKW], start, end)
			}
			return
		}
		if start < coveredKW[kw] {
			return // every rule of this keyword has a window past it
		}
		least := len(buf)
		for _, ri := range ix.rules[kw] {
			if nonLocal != nil && d.rules[ri].nonLocal {
				*nonLocal = true
			}
			if active != nil && !active[ri] || d.rules[ri].prefiltered {
				continue // a prefiltered rule's windows are its prefilter's
			}
			if start >= covered[ri] {
				ws, we := lines.bounds(start, end)
				if d.rules[ri].multiline {
					ws = lines.lineStart(max(0, start-multilineBack))
					we = lines.lineEnd(min(len(buf), end+multilineFwd))
				}
				if covered[ri] == 0 {
					sc.touched = append(sc.touched, ri)
				}
				covered[ri] = we
				windows[ri] = append(windows[ri], window{ws, we, end})
			}
			least = min(least, covered[ri])
		}
		// Later hits before least open nothing, and nonLocal, if one of
		// this keyword's rules sets it, is set.
		if coveredKW[kw] == 0 {
			sc.touchedKW = append(sc.touchedKW, kw)
		}
		coveredKW[kw] = least
	})
	if len(d.wordRunRules) > 0 && (want.rule == anyRule || d.rules[want.rule].rule.Prefilter != "") {
		d.addWordRunWindows(lines, active, windows)
	}
	for ri, ws := range windows {
		if len(ws) == 0 {
			continue
		}
		if spans != nil {
			*spans = append(*spans, ws...)
		}
		c := d.rules[ri]
		if f := c.lineFilter(); f != nil {
			if ws = f.keep(buf, ws); len(ws) == 0 {
				continue
			}
		}
		if err := c.compile(); err != nil {
			return nil, err
		}
		var err error
		if out, err = d.matchWindows(out, c, buf, ws); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// matchWindows runs c's regex over merged spans of its windows and keeps
// the matches that start inside a window: the result is the same as one
// call per window, with far fewer calls.
func (d *Detector) matchWindows(out []rawMatch, c *compiledRule, buf []byte, ws []window) ([]rawMatch, error) {
	g := c.rule.SecretGroup
	for i := 0; i < len(ws); {
		s, e := ws[i].start, ws[i].end
		j := i + 1
		for j < len(ws) && ws[j].start-e <= mergeGap {
			e = max(e, ws[j].end)
			j++
		}
		k := i
		ms, err := c.findAll(buf[s:e])
		if err != nil {
			return out, fmt.Errorf("rule %s: %w", c.rule.ID, err)
		}
		for _, m := range ms {
			at := s + m[0]
			for k < j && ws[k].end <= at {
				k++
			}
			if k == j || at < ws[k].start {
				continue // in a line without this rule's keyword
			}
			ss, se := m[2*g], m[2*g+1]
			if ss < 0 || se <= ss {
				continue
			}
			if c.rule.Gate == rules.GateGeneric {
				se = queryEnd(buf, s+ss, s+se) - s
			}
			pre := bytes.TrimRight(buf[at:s+ss], " \t\"'`")
			out = append(out, rawMatch{start: s + ss, end: s + se, rank: d.rank(c), rule: c.index,
				secret: string(buf[s+ss : s+se]), commaSep: len(pre) > 0 && pre[len(pre)-1] == ','})
		}
		i = j
	}
	return out, nil
}

// rank orders rules where their matches overlap: pack order, except that
// a generic rule's guess (and a credential group's, which names no
// provider) comes after every other rule and after the known values, whose
// findings are certain and critical.
func (d *Detector) rank(c *compiledRule) int {
	if c.rule.Gate == rules.GateGeneric || c.rule.Gate == rules.GateGroup || c.rule.Gate == rules.GateStructured || c.rule.Gate == rules.GateSensitive {
		return len(d.rules) + 1 + c.index
	}
	return c.index
}

// keep applies the entropy gate and allowlists to a pattern match, and
// marks inline-allowed ones. It reports false for a match to drop.
func (d *Detector) keep(m *rawMatch, buf []byte, p purpose, line *lineMemo) (allowed string, ok bool) {
	// A decoded match passed its gates on the decoded text; its encoded
	// text here is not the value they judge. structural: the secret's own
	// structure (a mnemonic's checksum over its list words, a key block's
	// length and randomness) says it is no stand-in, whatever its letters
	// read as (example, xXxx).
	structural := m.rule >= 0 && d.rules[m.rule].words
	if m.rule >= 0 && m.decoded == "" {
		c := d.rules[m.rule]
		if c.rule.MinEntropy > 0 && Entropy(m.secret) < c.rule.MinEntropy {
			return "", false
		}
		for _, re := range c.allow {
			if re.MatchString(m.secret) {
				return "", false
			}
		}
		if c.checksum != nil && !c.checksum(m.secret) {
			return "", false
		}
		if c.block != nil && p == forScan {
			switch c.block(buf, m.start, m.end) {
			case blockNoKey:
				return "", false
			case blockKey:
				structural = true
			}
		}
	}
	// The gates before the placeholder check: they are pure, as it is,
	// and a generic rule's matches are mostly code (`self.api_key`,
	// `os.environ`) that its gate drops at once.
	if m.decoded == "" && m.rule >= 0 && d.rules[m.rule].rule.Gate == rules.GateGeneric && !genericValue(line.lines, m.start, m.end) {
		return "", false
	}
	if m.decoded == "" && m.rule >= 0 && d.rules[m.rule].rule.Gate == rules.GateCode && codeValue(line.lines, m.start, m.end) {
		return "", false
	}
	if m.decoded == "" && m.rule >= 0 && d.rules[m.rule].rule.Gate == rules.GateValue && !judgedValue(line.lines, m.start, m.end) {
		return "", false
	}
	if m.decoded == "" && !structural && (p == forScan && d.IsPlaceholder(m.secret) || p == forRedact && d.placeholders.Listed(m.secret)) {
		return "", false
	}
	if m.decoded == "" && m.rule >= 0 && placeholderLogin(line.lines, m.start, m.end) {
		return "", false
	}
	if m.decoded == "" && m.rule >= 0 && (shellExpansion(buf, m.start) || sealed(buf, m.start, m.end) || m.commaSep && !argumentPair(buf, m.start)) {
		return "", false
	}
	if line.allowed(m.start, m.end) {
		return "inline", true
	}
	return "", true
}

// lineMemo is a filter's view of the text it filters: its line index,
// and the last line it read for an inline allow (matches come many to a
// line, and on a line of megabytes, a one-line JSON data file, finding
// its bounds and reading it again for each match made a scan quadratic in
// the line's length).
type lineMemo struct {
	lines      *textLines
	start, end int // one line's bounds; end < start when none is kept
	allow      bool
}

func newLineMemo(buf []byte) lineMemo {
	return lineMemo{lines: newTextLines(buf), start: 0, end: -1}
}

// allowed reports whether the lines holding buf[start:end] carry an
// inline allow. Only a single line is remembered: a match inside it has
// that line's bounds, while a match spanning lines reads all of them.
func (l *lineMemo) allowed(start, end int) bool {
	if start >= l.start && end <= l.end {
		return l.allow
	}
	buf := l.lines.buf
	ls, le := l.lines.bounds(start, end)
	allow := inlineAllowed(buf[ls:le])
	l.start, l.end, l.allow = ls, le, allow
	if bytes.IndexByte(buf[start:end], '\n') >= 0 {
		l.start, l.end = 0, -1
	}
	return allow
}

// purpose is what matches are filtered for.
type purpose int

const (
	// forScan: a finding must be a credential; placeholders of every
	// shape are dropped.
	forScan purpose = iota
	// forRedact: masking a stand-in costs nothing, leaking a key made of
	// runs (bg_0000aaaa1111bbbb…) costs the key; only the pack's declared
	// placeholders are left as they are.
	forRedact
)

// resolve filters matches and, where spans overlap, keeps the best-ranked
// one: one secret is one finding. The result is sorted by start.
func (d *Detector) resolve(ms []rawMatch, buf []byte, p purpose) []rawMatch {
	return choose(d.judgeGroups(d.filter(ms, buf, p), buf))
}

// filter drops the matches keep rejects and marks inline-allowed ones.
func (d *Detector) filter(ms []rawMatch, buf []byte, p purpose) []rawMatch {
	kept := ms[:0]
	line := newLineMemo(buf)
	for _, m := range ms {
		a, ok := d.keep(&m, buf, p, &line)
		if !ok {
			continue
		}
		m.allowed = a
		kept = append(kept, m)
	}
	return kept
}

// choose keeps, of each cluster of overlapping filtered matches, the
// best-ranked ones that do not overlap. The result is sorted by start.
func choose(kept []rawMatch) []rawMatch {
	// A total order: the choice must not depend on the order matches came
	// in (a version scan gathers them from several places).
	sort.Slice(kept, func(i, j int) bool {
		a, b := &kept[i], &kept[j]
		switch {
		case a.start != b.start:
			return a.start < b.start
		case a.rank != b.rank:
			return a.rank < b.rank
		case a.end != b.end:
			return a.end < b.end
		case a.envName != b.envName:
			return a.envName < b.envName
		case a.decoded != b.decoded:
			// The plain match before its decoded twin (an escape
			// segment is its whole line, plain text included).
			return a.decoded < b.decoded
		}
		return a.secret < b.secret
	})
	var out []rawMatch
	for i := 0; i < len(kept); {
		// A cluster is a run of transitively overlapping spans.
		j, end := i+1, kept[i].end
		for j < len(kept) && kept[j].start < end {
			end = max(end, kept[j].end)
			j++
		}
		cluster := append([]rawMatch(nil), kept[i:j]...)
		// Of one rule's overlapping matches, the longest: a plain match
		// cut short by an escape (Tide5\u0026…) loses to the decoded one.
		sort.SliceStable(cluster, func(a, b int) bool {
			x, y := &cluster[a], &cluster[b]
			if x.rank != y.rank {
				return x.rank < y.rank
			}
			if xj, yj := x.decoded == EncJoined, y.decoded == EncJoined; xj != yj {
				return yj // a value complete on its own line is not extended by the next line's literal
			}
			return x.end-x.start > y.end-y.start
		})
		var chosen []rawMatch
		for _, c := range cluster {
			clash := false
			for k := range chosen {
				if c.start < chosen[k].end && chosen[k].start < c.end {
					clash = true
					// A known value under a pattern's span names its variable.
					if chosen[k].envName == "" && c.envName != "" {
						chosen[k].envName = c.envName
					}
					break
				}
			}
			if !clash {
				chosen = append(chosen, c)
			}
		}
		out = append(out, chosen...)
		i = j
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}
