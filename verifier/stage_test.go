package verifier_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/rules"
	"github.com/keygate/keygate/verifier"
)

// recorder is a provider that answers live for every credential and
// records what it was asked.
type recorder struct {
	name  string
	parts []verifier.Part
	mu    sync.Mutex
	asked []verifier.Credential
}

func (r *recorder) Name() string           { return r.name }
func (r *recorder) Title() string          { return "Recorder" }
func (r *recorder) Parts() []verifier.Part { return r.parts }
func (r *recorder) EnvSuffix(p verifier.Part) string {
	return map[verifier.Part]string{verifier.PartKey: "BITGET_API_KEY", verifier.PartSecret: "BITGET_API_SECRET", verifier.PartPassphrase: "BITGET_PASSPHRASE"}[p]
}

func (r *recorder) Verify(_ context.Context, c verifier.Credential) verifier.Verification {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, c)
	return verifier.Verification{Status: verifier.Live, Reason: "accepted"}
}

func newRecorder() *recorder {
	return &recorder{name: "recorder", parts: []verifier.Part{verifier.PartKey, verifier.PartSecret, verifier.PartPassphrase}}
}

func item(spec, value string, line int) verifier.Item {
	return verifier.Item{Verify: spec, Value: value, Line: line}
}

func TestStageGroupsATripleWithinAFragment(t *testing.T) {
	rec := newRecorder()
	s := verifier.NewStage([]verifier.Provider{rec}, nil)
	groups := [][]verifier.Item{
		// two triples in one file: each key takes the parts nearest it
		{item("recorder:key", "K1", 1), item("recorder:secret", "S1", 2), item("recorder:passphrase", "P1", 3),
			item("", "unrelated", 5),
			item("recorder:key", "K2", 20), item("recorder:secret", "S2", 21), item("recorder:passphrase", "P2", 22)},
		// a lone key: never sent
		{item("recorder:key", "K3", 1)},
		// a lone secret: never sent
		{item("recorder:secret", "S4", 4)},
		// the same triple in another file: asked once (cache)
		{item("recorder:key", "K1", 7), item("recorder:secret", "S1", 8), item("recorder:passphrase", "P1", 9)},
	}
	out := s.Verify(context.Background(), groups)
	require.Len(t, out, 4)
	for i, v := range out[0] {
		if i == 3 {
			assert.Nil(t, v, "a finding whose rule names no verifier")
			continue
		}
		require.NotNil(t, v)
		assert.Equal(t, verifier.Live, v.Status)
	}
	assert.Equal(t, verifier.Unknown, out[1][0].Status)
	assert.Contains(t, out[1][0].Reason, "incomplete credential: no Recorder secret or passphrase within 10 lines of this key")
	assert.Equal(t, verifier.Unknown, out[2][0].Status)
	assert.Contains(t, out[2][0].Reason, "no Recorder key within 10 lines of this secret")
	assert.Equal(t, verifier.Live, out[3][2].Status)

	var asked []string
	for _, c := range rec.asked {
		asked = append(asked, c.Get(verifier.PartKey)+c.Get(verifier.PartSecret)+c.Get(verifier.PartPassphrase))
	}
	assert.ElementsMatch(t, []string{"K1S1P1", "K2S2P2"}, asked, "each whole credential once, nothing else")
}

// The env file completes a credential whose key alone is in the fragment,
// and names its bot; a known value found by value alone (no verify field)
// is verified as the part its variable names.
func TestStageCompletesFromTheEnvFile(t *testing.T) {
	rec := newRecorder()
	env := map[string]string{"BOT3_BITGET_API_KEY": "K3", "BOT3_BITGET_API_SECRET": "S3", "BOT3_BITGET_PASSPHRASE": "P3"}
	s := verifier.NewStage([]verifier.Provider{rec}, env)
	out := s.Verify(context.Background(), [][]verifier.Item{
		{item("recorder:key", "K3", 1)},
		{{Value: "P3", Line: 1, EnvName: "BOT3_BITGET_PASSPHRASE"}},
	})
	require.NotNil(t, out[0][0])
	assert.Equal(t, verifier.Live, out[0][0].Status)
	assert.Equal(t, "BOT3", out[0][0].Bot)
	require.NotNil(t, out[1][0])
	assert.Equal(t, verifier.Live, out[1][0].Status)
	assert.Equal(t, "BOT3", out[1][0].Bot)
	require.Len(t, rec.asked, 1, "one credential, asked once")
}

func TestStageUnknownProviderPart(t *testing.T) {
	s := verifier.NewStage([]verifier.Provider{newRecorder()}, nil)
	out := s.Verify(context.Background(), [][]verifier.Item{{item("nosuch", "xoxb", 1)}})
	assert.Equal(t, verifier.Unknown, out[0][0].Status)
	assert.Contains(t, out[0][0].Reason, "no verifier for nosuch")
}

func TestCredentialNeverFormatsAValue(t *testing.T) {
	c := verifier.Credential{Provider: "okx", Parts: map[verifier.Part]string{
		verifier.PartKey: "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", verifier.PartSecret: "0A1B2C3D4E5F60718293A4B5C6D7E8F9", verifier.PartPassphrase: "Marlin4Quiet8Dune"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, c) + fmt.Sprintf(verb, &c)
		for _, v := range c.Parts {
			assert.NotContains(t, out, v, verb)
		}
		assert.NotContains(t, out, "Marlin", verb)
	}
	assert.Equal(t, "okx credential ****e8f9", c.String())
}

// Every provider a rule may name has a verifier, with the same parts.
func TestEveryRuleVerifierExists(t *testing.T) {
	providers, err := verifier.DefaultProviders()
	require.NoError(t, err)
	have := map[string][]string{}
	for _, p := range providers {
		for _, pt := range p.Parts() {
			have[p.Name()] = append(have[p.Name()], string(pt))
		}
	}
	for name, parts := range rules.Verifiers {
		assert.Equal(t, parts, have[name], name)
	}
	for name := range have {
		assert.Contains(t, rules.Verifiers, name)
	}
}
