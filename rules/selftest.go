package rules

// Matcher reports whether the rule with the given id finds a secret in text.
// The detector implements it; rules stays free of the engine.
type Matcher interface {
	MatchRule(id, text string) (bool, error)
}

// ExampleFailure is one example that did not behave as declared.
type ExampleFailure struct {
	RuleID   string
	File     string
	Line     int
	Example  string
	Negative bool // true: a negative example matched; false: an example did not
}

// RunExamples checks every rule's examples (must match) and negative
// examples (must not), returning the failures and the number of checks run.
func RunExamples(p *Pack, m Matcher) (failures []ExampleFailure, checked int, err error) {
	for _, r := range p.Rules {
		for _, ex := range r.Examples {
			ok, err := m.MatchRule(r.ID, ex)
			if err != nil {
				return nil, checked, err
			}
			checked++
			if !ok {
				failures = append(failures, ExampleFailure{RuleID: r.ID, File: r.File, Line: r.Line, Example: ex})
			}
		}
		for _, ex := range r.NegativeExamples {
			ok, err := m.MatchRule(r.ID, ex)
			if err != nil {
				return nil, checked, err
			}
			checked++
			if ok {
				failures = append(failures, ExampleFailure{RuleID: r.ID, File: r.File, Line: r.Line, Example: ex, Negative: true})
			}
		}
	}
	return failures, checked, nil
}
