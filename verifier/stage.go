package verifier

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/keygate/keygate/rules"
)

// Window is how many lines apart a credential's parts may be in one
// fragment to be grouped (gitleaks' required rules call it withinLines).
const Window = 10

// DefaultWorkers bounds the requests in flight at once.
const DefaultWorkers = 4

// Item is one finding a stage may verify: its rule's verify field, the
// value and where it is in its fragment.
type Item struct {
	// Verify is the rule's verify field; empty: not verified.
	Verify string
	Value  string
	Line   int
	// EnvName is the env variable whose value the finding is, if any.
	EnvName string
}

// Stage verifies findings: scan hands it each fragment's findings after
// the CPU workers, before it masks them.
type Stage struct {
	// Workers bounds the requests in flight (DefaultWorkers when 0).
	Workers   int
	providers map[string]Provider
	// env holds the env file's values by name, to complete a credential
	// whose other parts a fragment does not hold and to name its bot.
	env map[string]string

	mu    sync.Mutex
	cache map[[32]byte]Verification
}

// NewStage returns a stage asking providers; env is the env file's
// values by name (nil: none).
func NewStage(providers []Provider, env map[string]string) *Stage {
	s := &Stage{providers: map[string]Provider{}, env: env, cache: map[[32]byte]Verification{}}
	for _, p := range providers {
		s.providers[p.Name()] = p
	}
	return s
}

// job is one credential to ask about.
type job struct {
	cred Credential
	bot  string
}

// plan is what one group's items become: each item a job's verdict or a
// fixed one.
type plan struct {
	job   []int // per item: index into jobs, or -1
	fixed []*Verification
}

// Verify returns, for each group (one fragment's findings) and each of its
// items, the item's verification: nil when its rule names no verifier.
func (s *Stage) Verify(ctx context.Context, groups [][]Item) [][]*Verification {
	var jobs []job
	index := map[[32]byte]int{}
	addJob := func(j job) int {
		d := j.cred.digest()
		if i, ok := index[d]; ok {
			if jobs[i].bot == "" {
				jobs[i].bot = j.bot
			}
			return i
		}
		index[d] = len(jobs)
		jobs = append(jobs, j)
		return len(jobs) - 1
	}
	plans := make([]plan, len(groups))
	for g, items := range groups {
		plans[g] = s.group(items, addJob)
	}
	verdicts := s.run(ctx, jobs)
	out := make([][]*Verification, len(groups))
	for g, p := range plans {
		out[g] = make([]*Verification, len(groups[g]))
		for i := range groups[g] {
			switch {
			case p.job[i] >= 0:
				v := verdicts[p.job[i]]
				v.Bot = jobs[p.job[i]].bot
				out[g][i] = &v
			case p.fixed[i] != nil:
				out[g][i] = p.fixed[i]
			}
		}
	}
	return out
}

// member is an item of one provider, with its part and bot.
type member struct {
	item int
	part Part
	bot  string
}

// group forms the credentials of one fragment's items.
func (s *Stage) group(items []Item, addJob func(job) int) plan {
	p := plan{job: make([]int, len(items)), fixed: make([]*Verification, len(items))}
	byProvider := map[string][]member{}
	for i, it := range items {
		p.job[i] = -1
		spec := it.Verify
		if spec == "" {
			// A known value of the env file, found by its value alone:
			// its variable says whose credential and which part it is.
			spec = s.specOfEnvName(it.EnvName)
		}
		if spec == "" {
			continue
		}
		name, part := rules.ParseVerify(spec)
		prov, ok := s.providers[name]
		if !ok {
			p.fixed[i] = &Verification{Status: Unknown, Provider: name, Reason: "keygate has no verifier for " + name}
			continue
		}
		m := member{item: i, part: Part(part)}
		if bot, suffix, ok := botOf(it.EnvName); ok {
			if pt := s.partOfSuffix(prov, suffix); pt != "" {
				m.bot, m.part = bot, pt
			}
		}
		if m.part == "" {
			if len(prov.Parts()) == 1 {
				m.part = prov.Parts()[0]
			} else if c, ok := prov.(Classifier); ok {
				m.part = c.Classify(it.Value)
			}
		}
		if m.part == "" {
			p.fixed[i] = &Verification{Status: Unknown, Provider: name, Reason: "the rule does not say which part of a " + prov.Title() + " credential it finds"}
			continue
		}
		byProvider[name] = append(byProvider[name], m)
	}
	for name, ms := range byProvider {
		s.groupProvider(s.providers[name], items, ms, &p, addJob)
	}
	return p
}

// specOfEnvName is the verify field of a bot's env variable
// (bitget:key for BOT1_BITGET_API_KEY), "" when no provider keeps it.
func (s *Stage) specOfEnvName(name string) string {
	_, suffix, ok := botOf(name)
	if !ok {
		return ""
	}
	for _, prov := range s.providers {
		if pt := s.partOfSuffix(prov, suffix); pt != "" {
			return prov.Name() + ":" + string(pt)
		}
	}
	return ""
}

func (s *Stage) partOfSuffix(prov Provider, suffix string) Part {
	en, ok := prov.(EnvNamer)
	if !ok {
		return ""
	}
	for _, pt := range prov.Parts() {
		if en.EnvSuffix(pt) == suffix {
			return pt
		}
	}
	return ""
}

// groupProvider pairs each anchor (key or token) with the nearest item of
// every other part within Window lines, else with the env file's value of
// its bot; an item no credential took is unknown.
func (s *Stage) groupProvider(prov Provider, items []Item, ms []member, p *plan, addJob func(job) int) {
	parts := prov.Parts()
	anchor := parts[0]
	// each non-anchor item keeps the nearest anchor's job
	nearest := map[int]int{} // item -> line distance of the job it has
	for _, a := range ms {
		if a.part != anchor {
			continue
		}
		bot := a.bot
		if bot == "" {
			bot = s.botByValue(prov, anchor, items[a.item].Value)
		}
		cred := Credential{Provider: prov.Name(), Parts: map[Part]string{anchor: items[a.item].Value}}
		used := map[int]int{}
		var missing []string
		for _, pt := range parts[1:] {
			best, dist := -1, Window+1
			for _, m := range ms {
				if m.part != pt {
					continue
				}
				d := items[m.item].Line - items[a.item].Line
				if d < 0 {
					d = -d
				}
				if d < dist || (d == dist && best >= 0 && items[m.item].Line > items[best].Line) {
					best, dist = m.item, d
				}
			}
			switch {
			case best >= 0:
				cred.Parts[pt] = items[best].Value
				used[best] = dist
			case bot != "" && s.envValue(prov, bot, pt) != "":
				cred.Parts[pt] = s.envValue(prov, bot, pt)
			default:
				missing = append(missing, string(pt))
			}
		}
		if len(missing) > 0 {
			p.fixed[a.item] = &Verification{Status: Unknown, Provider: prov.Name(), Bot: bot,
				Reason: fmt.Sprintf("incomplete credential: no %s %s within %d lines of this %s (nor in the env file), so it was not sent", prov.Title(), strings.Join(missing, " or "), Window, anchor)}
			continue
		}
		j := addJob(job{cred: cred, bot: bot})
		p.job[a.item] = j
		for it, d := range used {
			if old, ok := nearest[it]; !ok || d < old {
				nearest[it] = d
				p.job[it] = j
			}
		}
	}
	for _, m := range ms {
		if m.part == anchor || p.job[m.item] >= 0 {
			continue
		}
		// A part whose bot the env file names is completed from it.
		if m.bot != "" {
			if cred, ok := s.envCredential(prov, m.bot); ok && cred.Parts[m.part] == items[m.item].Value {
				p.job[m.item] = addJob(job{cred: cred, bot: m.bot})
				continue
			}
		}
		p.fixed[m.item] = &Verification{Status: Unknown, Provider: prov.Name(), Bot: m.bot,
			Reason: fmt.Sprintf("incomplete credential: no %s %s within %d lines of this %s, so it was not sent", prov.Title(), anchor, Window, m.part)}
	}
}

// envValue is bot's value of part in the env file.
func (s *Stage) envValue(prov Provider, bot string, pt Part) string {
	en, ok := prov.(EnvNamer)
	if !ok || s.env == nil {
		return ""
	}
	return s.env[bot+"_"+en.EnvSuffix(pt)]
}

// envCredential is bot's whole credential from the env file.
func (s *Stage) envCredential(prov Provider, bot string) (Credential, bool) {
	cred := Credential{Provider: prov.Name(), Parts: map[Part]string{}}
	for _, pt := range prov.Parts() {
		v := s.envValue(prov, bot, pt)
		if v == "" {
			return Credential{}, false
		}
		cred.Parts[pt] = v
	}
	return cred, true
}

// botByValue names the bot whose env file entry holds value as its part.
func (s *Stage) botByValue(prov Provider, pt Part, value string) string {
	en, ok := prov.(EnvNamer)
	if !ok {
		return ""
	}
	var bots []string
	for name, v := range s.env {
		if bot, suffix, ok := botOf(name); ok && v == value && suffix == en.EnvSuffix(pt) {
			bots = append(bots, bot)
		}
	}
	sort.Strings(bots)
	if len(bots) == 0 {
		return ""
	}
	return bots[0]
}

// run asks about every job on Workers goroutines, each credential once
// per stage.
func (s *Stage) run(ctx context.Context, jobs []job) []Verification {
	out := make([]Verification, len(jobs))
	workers := s.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.verify(ctx, jobs[i].cred)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func (s *Stage) verify(ctx context.Context, c Credential) Verification {
	d := c.digest()
	s.mu.Lock()
	v, ok := s.cache[d]
	s.mu.Unlock()
	if ok {
		return v
	}
	if err := ctx.Err(); err != nil {
		return Verification{Status: Unknown, Provider: c.Provider, Reason: "not asked: the scan was interrupted"}
	}
	if part := misshapen(c); part != "" {
		return Verification{Status: Unknown, Provider: c.Provider,
			Reason: fmt.Sprintf("the %s found does not have the shape of a %s %s, so it was not sent", part, s.providers[c.Provider].Title(), part)}
	}
	v = s.providers[c.Provider].Verify(ctx, c)
	v.Provider = c.Provider
	v.Reason = scrub(v.Reason, c)
	s.mu.Lock()
	s.cache[d] = v
	s.mu.Unlock()
	return v
}
