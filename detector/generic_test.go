package detector

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretName(t *testing.T) {
	for _, n := range []string{
		"token", "API_TOKEN", "apiKey", "api-key", "APIKEY", "apikey", "client_secret", "DB_PASSWORD",
		"passwd", "MAILER_PWD", "SMTP_PASS", "APP_CREDENTIALS", "credential", "NPM_AUTH", "x.secret",
		"secretKey", "private_key", "--api-key", "$password", "passphrase", "v2Token",
		"PUSHER_SECRET", "pusherAppSecret", "Bitget:Passphrase", "Stripe:SecretKey",
		"ETSYToken", "APIKey", "AWSSecret",
	} {
		assert.True(t, secretName(n), n)
	}
	for _, n := range []string{
		"monkey", "hotkey", "MONKEY", "public_key", "publicKey", "primary_key", "next_token", "sort_key",
		"password_hash", "token_count", "author", "bypass", "compass", "keys", "", "idempotency-key",
		"BITSTAMP_PUSHER_KEY", "pusherKey", "STRIPE_PUBLISHABLE_KEY", "recaptcha_site_key",
		"Bitget:PublicKey", "Cache:Key", "HOTKey", "PUBLICKey", "protectNTFSKey",
	} {
		assert.False(t, secretName(n), n)
	}
}

func TestNameBefore(t *testing.T) {
	tests := []struct {
		prefix, name string
		quoted       bool
	}{
		{`API_KEY=`, "API_KEY", false},
		{`  "token": "`, "token", true},
		{`password => '`, "password", true},
		{`token := "`, "token", true},
		{`os.environ['secret'] = "`, "secret", true},
		{`<db password="`, "password", true},
		{`export X=1; NPM_AUTH=`, "NPM_AUTH", false},
		// .NET appSettings: the key attribute names the value.
		{`<add key="ApiSecret" value="`, "ApiSecret", true},
		{`  <add key = 'Bitget:Passphrase'  value='`, "Bitget:Passphrase", true},
		{`<add key="Theme" value="`, "Theme", true},
		{`<input value="`, "value", true},
		{`<add key="ApiSecret" label="x" value="`, "value", true},
	}
	for _, tt := range tests {
		name, quoted := nameBefore([]byte(tt.prefix))
		assert.Equal(t, tt.name, name, tt.prefix)
		assert.Equal(t, tt.quoted, quoted, tt.prefix)
	}
}

// A key made of runs is a placeholder to the scan, but a redactor masks it:
// masking a stand-in costs nothing, leaking a real one costs the key.
func TestRedactionMasksPlaceholderShapes(t *testing.T) {
	d := defaultDetector(t)
	line := []byte("rotated to bg_0000aaaa1111bbbb2222cccc3333dddd, was ${OLD_KEY}\n")
	fs, err := d.Scan(line, "x.log")
	assert.NoError(t, err)
	assert.Empty(t, fs)
	spans, err := d.Spans(line)
	assert.NoError(t, err)
	if assert.Len(t, spans, 1) {
		assert.Equal(t, "bg_0000aaaa1111bbbb2222cccc3333dddd", string(line[spans[0].Start:spans[0].End]))
	}
}

// A known active value is reported as such (critical, with its variable)
// even where the generic rule sees the same text.
func TestKnownValueBeatsGenericGuess(t *testing.T) {
	d := knownDetector(t, KnownValue{Name: "BOT1_BITGET_PASSPHRASE", Value: "Zq8Lm2Synth7Wx4Kp9"})
	fs, err := d.Scan([]byte("SERVICE_AUTH=Zq8Lm2Synth7Wx4Kp9\n"), "x")
	assert.NoError(t, err)
	if assert.Len(t, fs, 1) {
		assert.Equal(t, KnownValueRuleID, fs[0].RuleID)
		assert.Equal(t, "BOT1_BITGET_PASSPHRASE", fs[0].EnvName)
	}
}

func TestRandomLooking(t *testing.T) {
	for _, v := range []string{
		"short1", "5e1c0a9f3b7d2e8c4a6f0b1d9e3c7a5f2b8d4e6c", "6Dq1SynthZw8kPb3Lx9vTm2Rc7GfN4YhJ",
		"Zq8LmSynth2Wx4Kp9Rt7Bn3Vc6Mj1Hg5Fd0Sa8Qw2Er4Ty6Ui9Op3Lk7Jh1Gf5", "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		"Zq8Lm2Synth7Wx4Kp9", "kW-q47SynthX_PZ3R8mLbV2nTcY9hJdU6e",
		"0x4c0f83a6d1b2e9c75f3a8d0e6b1c4f2a9e7d3b5c8a0f6e1d4b7c2a9f5e3d8b1c", "0x79d7511382b5dFd1185F6AF268923D3F9FC31B53",
		"key_3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e", "ED5A0F3C9B1E7D2A6C8F4B0E3D9A5C1F7B2E8D4A6C0F9B3E5D1A7C2F8B4E6D0A93",
	} {
		assert.True(t, randomLooking(v), v)
	}
	for _, v := range []string{"89h3f98hbwf987h3f98wenf89ehf", "asdfjkl1234asdfjkl1234asdfjkl", "abab1212abab1212abab1212"} {
		assert.False(t, randomLooking(v), v)
	}
}

func TestTypeExpr(t *testing.T) {
	for _, v := range []string{"WsKeyPendingTopicSubscriptions<TWSRequestEvent>", "Map<string, Array<WsTopicRequest>", "Array<Uint8>"} {
		assert.True(t, typeExpr(v), v)
	}
	for _, v := range []string{"Xk9<mQ2p>", "Zq8Lm2Synth7Wx4Kp9", "P<ssw0rd>x"} {
		assert.False(t, typeExpr(v), v)
	}
}

func TestStandInLogin(t *testing.T) {
	tests := []struct {
		user, password, host string
		standIn              bool
	}{
		{"foo", "bar", "localhost:123", true},
		{"foo", "barr", "db.internal:5432", true},
		{"svc", "hunter", "127.0.0.1:6379/0", true},
		{"person%40mail.com", "%20%21%22%23$%25&%27", "github.com/x", true},
		{"svc", "hunter", "redis:6379/0", false},
		{"user", "Xk9mQ2pLw7", "localhost:5432", false},
		{"foo", "q8Zr2LmX9vT4", "127.0.0.1", false},
		{"deploy", "%41bc%21", "github.com", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.standIn, standInLogin(tt.user, tt.password, tt.host), tt.user+":"+tt.password+"@"+tt.host)
	}
}

func TestSymbolic(t *testing.T) {
	for _, v := range []string{"HBOT-COINALPHA", "binance_BTC-USDT_1m", "__vite_ssr_exportAll__", "Binance_Spot", "DOC_Vector_5_32"} {
		assert.True(t, symbolic(v), v)
	}
	for _, v := range []string{"kW-q47SynthX_PZ3R8mLbV2nTcY9hJdU6e", "Qm7Z-x9Lp-W3kT-8vRb", "ABCD-1234-EFGH-5678", "kQhW-pLzR-mXvT", "single", "12-345-678", "AB-1234-CD"} {
		assert.False(t, symbolic(v), v)
	}
}

func TestAnnotationAndVariable(t *testing.T) {
	assert.True(t, annotation("SecretStr", []byte(" = Field(")))
	assert.True(t, annotation("XRPLAuth", []byte(",")))
	assert.True(t, annotation("GrvtPerpetualAuth", []byte(" = auth")))
	assert.False(t, annotation("Zq8LmSynth7Wx4Kp9", []byte(",")), "a literal in a list stays a value")
	assert.False(t, annotation("Zq8LmSynth7Wx4Kp9", []byte(" == x")))
	assert.True(t, variable("grvt_perpetual_api_key", nil))
	assert.True(t, variable("bitget_perpetual_passphrase", nil))
	assert.False(t, variable("Zq8Lm_Synth7Wx4Kp9", nil))
	assert.False(t, variable("apikey", nil), "no underscore: a word, judged elsewhere")
	assert.True(t, variable("ed25519APIKey", []byte(",")), "a camel name where an argument ends")
	assert.False(t, variable("ed25519APIKey", nil), "alone on its line: judged by value")
	assert.False(t, variable("Zq8Lm2Wx9Vd4Tp1N", []byte(",")), "no secret word at a case change")
}

func TestFormatField(t *testing.T) {
	assert.True(t, formatField([]byte(`f"  {token:`), "token", "<8} {current:>14.6f}"))
	assert.False(t, formatField([]byte(`{"token": "`), "token", "Zq8LmSynth7Wx4Kp9"))
}

// A sample config's self-named example password is quiet under every rule
// (freqtrade's config examples); a real-looking one beside it is found.
func TestSampleConfigPassword(t *testing.T) {
	d := defaultDetector(t)
	cfg := []byte("{\n  \"api_server\": {\n    \"username\": \"freqtrader\",\n    \"password\": \"SuperSecurePassword\"\n  }\n}\n")
	fs, err := d.Scan(cfg, "config_examples/config_binance.example.json")
	assert.NoError(t, err)
	assert.Empty(t, fs)
	cfg = []byte("{\n  \"exchange\": {\n    \"secret\": \"Zq8LmSynth7Wx4Kp9Qv2Rt6Bn\"\n  }\n}\n")
	fs, err = d.Scan(cfg, "config_examples/config_binance.example.json")
	assert.NoError(t, err)
	assert.NotEmpty(t, fs)
}

func TestIndexVariable(t *testing.T) {
	assert.True(t, indexVariable([]byte(`    this.connections[key] = `), "key"))
	assert.False(t, indexVariable([]byte(`os.environ['secret'] = "`), "secret"))
	assert.False(t, indexVariable([]byte(`  api_key = `), "api_key"))
}

// Shapes met in exchange SDKs that are no credential: rendered API docs
// (a name followed by markup), a documentation sample passphrase made of a
// run and the two characters a password policy asks for, and the quoted
// shell expansion in every OpenAPI client's git_push.sh. Real values in
// the same places are still found.
func TestSDKShapesAreQuiet(t *testing.T) {
	d := defaultDetector(t)
	for _, c := range []struct{ path, line string }{
		{"docs/classes/accountapi.html", `<h5><span class="tsd-flag ts-flagDefault value">Default value</span> apiKey: <span class="tsd-signature-type">string</span><span class="tsd-signature-symbol"> = &quot;&quot;</span></h5>`},
		{"examples/create-sub-account-api-key.js", `    passphrase: '1234567Aa',`},
		{"git_push.sh", `        git remote add origin https://${git_user_id}:"${GIT_TOKEN}"@${git_host}/${git_user_id}/${git_repo_id}.git`},
		{"examples/auth/rest-private-ed25519.ts", `  api_secret: ed25519PrivateKey,`},
		{"docs/img/exchange-class.svg", `<div>- _order_book_tracker: <b>OrderBookTracker</b><br />- _auth: <b>Auth<br /></b>- _in_flight_orders: Dict[str, <b>InFlightOrder</b>]</div>`},
	} {
		fs, err := d.Scan([]byte(c.line+"\n"), c.path)
		require.NoError(t, err)
		assert.Empty(t, fs, c.line)
	}
	for _, c := range []struct{ path, line string }{
		{"examples/create-sub-account-api-key.js", `    passphrase: 'Tide5Dgaharbor7',`},
		{"git_push.sh", `git remote add origin https://bot:"Zq8Lm2Wx9Vd4Tp1N"@git.tradingdesk.internal/ops/bots.git`},
		{"runbook.html", `<p>redis password: <b>Zq8Lm2Wx9Vd4Tp1N</b></p>`},
		{"rest-api/index.html", `<p>connect to <code>http://localhost:8080/api/v1/message/ws?token=Zq8Lm2Wx9Vd4Tp1NhQ7</code>.</p>`},
	} {
		fs, err := d.Scan([]byte(c.line+"\n"), c.path)
		require.NoError(t, err)
		assert.NotEmpty(t, fs, c.line)
	}
}

// A value in a query string ends where the next parameter starts: the
// finding names the key, not the key plus `&price=…&type=LIMIT`, and a
// documented example key in a query is recognised as one.
func TestGenericValueEndsAtQueryParameter(t *testing.T) {
	d := defaultDetector(t)
	for _, c := range []struct{ line, want string }{
		{`curl "https://api.example.com/order?apiKey=Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb&price=100&type=LIMIT"`, "Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb"},
		{`<a href="/v1/ws?token=Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb&amp;lang=en">`, "Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb"},
		{`api_token=Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb&filter[name]=x`, "Zq8Ws7kQ2xSynth9Vd4Tp1Nh6Rb"},
		// A password holding `&` not followed by a parameter stays whole.
		{`DB_PASSWORD=Zq8Ws7&kQ2xSynth9Vd4`, "Zq8Ws7&kQ2xSynth9Vd4"},
		{`DB_PASSWORD=Zq8Ws7&9kQ2x=Synth9Vd4`, "Zq8Ws7&9kQ2x=Synth9Vd4"},
	} {
		fs, err := d.Scan([]byte(c.line+"\n"), "notes.md")
		require.NoError(t, err)
		require.Len(t, fs, 1, c.line)
		assert.Equal(t, c.want, fs[0].Secret, c.line)
	}
	fs, err := d.Scan([]byte("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&symbol=LTCBTC&side=BUY&type=LIMIT\n"), "docs/rest-api.md")
	require.NoError(t, err)
	assert.Empty(t, fs, "Binance's documented example key in a query string")
}

// memberAccess is `^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$`, the
// expression it replaces, on random strings over the bytes it reads and on
// values the gate meets.
func TestMemberAccess(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$`)
	r := rand.New(rand.NewPCG(6, 6))
	const alphabet = "aZ_$09.-x"
	for range 100000 {
		b := make([]byte, r.IntN(9))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		require.Equal(t, re.Match(b), memberAccess(b), "%q", b)
		require.Equal(t, re.MatchString(string(b)), memberAccess(string(b)), "%q", b)
	}
	for _, v := range []string{"self.api_key", "os.environ", "$scope.token", "a.b.c1"} {
		assert.True(t, memberAccess(v), v)
	}
	for _, v := range []string{"self.", ".env", "a..b", "1a.b", "api_key", "Zq8Ws7kQ.2x-Synth"} {
		assert.False(t, memberAccess(v), v)
	}
}
