package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Where trading teams leak (issue 26), through the CLI: a credential
// group, tokens in URLs and command lines, the syntax forms and prose, and
// the users' own bot code quiet, in the pre-commit gate and in history.
// The detector's own tests hold every case in tree mode
// (detector/testdata/recall, detector/testdata/precision).

const (
	groupKey    = "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	groupSecret = "f00dfacec0ffee00deadbeef0123456789abcdef0123456789abcdef00c0ffee"
)

// leakFiles are one file per class, each with its finding on one line.
var leakFiles = map[string]string{
	"config/bot2.json": "{\n  \"exchange\": {\n    \"name\": \"bitget\",\n    \"key\": \"" + groupKey + "\",\n    \"secret\": \"" + groupSecret +
		"\",\n    \"password\": \"harborTide84\"\n  }\n}\n",
	"scripts/notify.sh":  "curl -s \"https://api.telegram.org/bot7319054826:AAHk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Ja7/sendMessage\"\n",
	"scripts/redis.sh":   "redis-cli -h redis -a Harbor7Tide5Dga --no-auth-warning ping\n",
	"Makefile":           "DEPLOY_TOKEN ?= Rk8Zq2Synth7Wm4Lp9Xv\n",
	"docs/handover.md":   "bitget secret for bot2: " + groupSecret + "\n",
	"env/rotation.notes": "BOT1_BITGET_API_SECRET_OLD=s3cretNotHex-zz91\n",
	"postman/bitget.postman_environment.json": "{\"values\": [\n  {\"key\": \"baseUrl\", \"value\": \"https://api.bitget.com\"},\n" +
		"  {\"key\": \"secretKey\", \"value\": \"Zq8Ws7kQ2xSynth9Vd4Tp1Nh\", \"type\": \"secret\"}\n]}\n",
	"infra/terraform.tfstate": "{\"version\": 4, \"resources\": [{\"type\": \"aws_ssm_parameter\", \"name\": \"bot2_api\", \"instances\": [{\n" +
		"  \"attributes\": {\n    \"name\": \"/bot2/api\",\n    \"value\": \"Zq8Ws7kQ2x-Synth9Vd4Tp1N\"\n  },\n" +
		"  \"sensitive_attributes\": [[{\"type\": \"get_attr\", \"value\": \"value\"}]]\n}]}]}\n",
	"bot/keys.py": "API_SECRET = (\"5eed5eed07a3c9e1f2\"\n    \"4b86d05c3e9a7f18b2\"\n    \"d46e0f9c7a5b3ddead\"\n    \"beef\")\n",
	// An exchange API's Ed25519 key as its base64 DER, no PEM armour
	// (generated for this test).
	"bot/signer.go": "package bot\n\nconst signingKey = \"MC4CAQAwBQYDK2VwBCIEIGGdwIoxtWu8xuq7/aUz9AO8imvOLCK1MTH05tzJ/zzC\"\n",
	"hardhat.config.js": "module.exports = {\n  networks: {\n    sepolia: {\n      accounts: [\n" +
		"        \"0xd6a3e2ac08cf49dc35350cc40f82d54ad194ec828b2500e04aa1bac5000c5c67\",\n      ],\n    },\n  },\n};\n",
}

// quietFiles are the users' own code: no finding.
var quietFiles = map[string]string{
	"bot/sign.py": "headers = {\"ACCESS-KEY\": self.api_key, \"ACCESS-SIGN\": signature, \"ACCESS-PASSPHRASE\": passphrase}\n" +
		"headers = {\"X-MBX-APIKEY\": api_key}\n",
	"scripts/start.sh": ": \"${BOT2_BITGET_API_SECRET:?export it first}\"\n",
	"deploy/secrets.enc.yaml": "BOT1_BITGET_API_SECRET: ENC[AES256_GCM,data:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg==,iv:c3ludGhldGljaXZzeW50aGV0aWM=," +
		"tag:c3ludGhldGljdGFnMDAwMDAwMA==,type:str]\n",
	"bot/messages.py": "log.info(\"fetched %d rows from \"\n         \"the exchange\", n)\nquery = (\"SELECT api_key, api_secret \"\n         \"FROM exchange_keys\")\n",
	"infra/network.tfstate": "{\"resources\": [{\"type\": \"aws_ssm_parameter\", \"instances\": [{\n" +
		"  \"attributes\": {\n    \"name\": \"/bot2/relay\",\n    \"value\": \"Zq8Ws7kQ2x-Synth9Vd4Tp1N\"\n  },\n  \"sensitive_attributes\": []\n}]}]}\n",
}

var wantLeaks = []gitFinding{
	{"Makefile", 1, "generic-secret-assignment", ""},
	{"bot/keys.py", 1, "generic-secret-assignment", ""},
	{"bot/signer.go", 3, "private-key-der", ""},
	{"config/bot2.json", 4, "bitget-api-key", ""},
	{"config/bot2.json", 5, "generic-secret-assignment", ""},
	{"config/bot2.json", 6, "exchange-credential-group", ""},
	{"docs/handover.md", 1, "bitget-api-secret", ""},
	{"env/rotation.notes", 1, "bot-bitget-credential", ""},
	{"hardhat.config.js", 5, "evm-accounts-private-key", ""},
	{"infra/terraform.tfstate", 4, "terraform-sensitive-attribute", ""},
	{"postman/bitget.postman_environment.json", 3, "structured-secret-value", ""},
	{"scripts/notify.sh", 1, "telegram-bot-token", ""},
	{"scripts/redis.sh", 1, "redis-password", ""},
}

func TestDetectionClassesStaged(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	for p, c := range leakFiles {
		g.write(p, c)
	}
	for p, c := range quietFiles {
		g.write(p, c)
	}
	g.git("add", "-A")
	res := runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, wantLeaks, gitFindings(t, res))
}

// In history, a group's passphrase committed first, beside placeholders,
// is found in the commit that fills in the key and secret, though its own
// line did not change.
func TestDetectionClassesHistory(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	for p, c := range quietFiles {
		g.write(p, c)
	}
	group := leakFiles["config/bot2.json"]
	placeholders := "{\n  \"exchange\": {\n    \"name\": \"bitget\",\n    \"key\": \"your_exchange_key\",\n    \"secret\": \"your_exchange_secret\"," +
		"\n    \"password\": \"harborTide84\"\n  }\n}\n"
	g.write("config/bot2.json", placeholders)
	base := g.commit("bot2 config template")
	g.write("config/bot2.json", group)
	filled := g.commit("bot2 keys (a leak)")
	for p, c := range leakFiles {
		if p != "config/bot2.json" {
			g.write(p, c)
		}
	}
	rest := g.commit("more leaks")
	g.git("rm", "-q", "-r", "config", "docs", "scripts", "postman", "Makefile", "hardhat.config.js", "env/rotation.notes", "infra/terraform.tfstate", "bot/keys.py", "bot/signer.go")
	g.commit("remove them")

	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	var want []gitFinding
	for _, f := range wantLeaks {
		f.Commit = rest
		if f.Path == "config/bot2.json" {
			f.Commit = filled
		}
		want = append(want, f)
	}
	assert.Equal(t, want, gitFindings(t, res))
	assert.NotEqual(t, base, filled)
}
