package main

import (
	"fmt"
	"strings"
)

// The ops tree: what a trading team's repository of operations holds
// beside its bots' logs, keyword-dense the way real ones are. Configs,
// bot code, CI workflows, runbooks and incident notes name credentials on
// most lines (api_key, secret, passphrase, token, password, auth, the
// exchanges' names) with references, templates, masks and code, not
// values; the logs carry headers and signed requests with masked keys. A
// keyword prefilter opens a window on nearly every line, so the cost of a
// keyword hit shows; the bot logs of `gen tree` repeat a few shapes.

var exchanges = []string{"bitget", "binance", "okx", "bybit", "kraken", "coinbase", "kucoin", "gate", "mexc", "htx"}

var credNames = []string{"api_key", "api_secret", "passphrase", "secret_key", "access_token", "auth_token", "password", "private_key", "apiKey", "secretKey", "webhook_secret"}

func (g *gen) word(ws []string) string { return ws[g.r.IntN(len(ws))] }

// configLines: YAML, .env templates and INI, values as references.
func (g *gen) configLines(n int) []string {
	var out []string
	for len(out) < n {
		ex, name := g.word(exchanges), g.word(credNames)
		up := strings.ToUpper(ex + "_" + name)
		switch g.r.IntN(8) {
		case 0:
			out = append(out, fmt.Sprintf("  %s_%s: ${%s}", ex, name, up))
		case 1:
			out = append(out, fmt.Sprintf("%s=<set in vault: secret/bots/%s/%s>", up, ex, name))
		case 2:
			out = append(out, fmt.Sprintf("    %s: {{ .Values.%s.%s }}", name, ex, name))
		case 3:
			out = append(out, fmt.Sprintf("%s = os.environ[\"%s\"]", strings.ToLower(up), up))
		case 4:
			out = append(out, fmt.Sprintf("  - name: %s\n    valueFrom: {secretKeyRef: {name: %s-credentials, key: %s}}", up, ex, name))
		case 5:
			out = append(out, fmt.Sprintf("%s_%s = \"****%s\"  # masked, rotated %d days ago", ex, name, g.pick(hexDigits, 4), g.r.IntN(90)))
		case 6:
			out = append(out, fmt.Sprintf("auth:\n  provider: %s\n  token_ttl: %ds\n  password_min_length: %d", ex, 300+g.r.IntN(3000), 12+g.r.IntN(8)))
		default:
			out = append(out, fmt.Sprintf("# %s: the %s key and secret come from the key vault; never commit the passphrase", ex, name))
		}
	}
	return out
}

// codeLines: bot code handling credentials (Python), as connectors do.
func (g *gen) codeLines(n int) []string {
	var out []string
	for len(out) < n {
		ex, name := g.word(exchanges), g.word(credNames)
		switch g.r.IntN(9) {
		case 0:
			out = append(out, fmt.Sprintf("        self._%s_%s = %s_%s", ex, name, ex, name))
		case 1:
			out = append(out, fmt.Sprintf("    def get_%s(self) -> str:\n        return self._auth.%s", name, name))
		case 2:
			out = append(out, "        headers = {\"ACCESS-KEY\": self.api_key, \"ACCESS-SIGN\": sign(self.secret_key, payload), \"ACCESS-PASSPHRASE\": self.passphrase}")
		case 3:
			out = append(out, fmt.Sprintf("        signature = hmac.new(self.%s.encode(\"utf8\"), msg.encode(\"utf8\"), hashlib.sha256).hexdigest()", name))
		case 4:
			out = append(out, fmt.Sprintf("    %s_%s: str = Field(default=..., json_schema_extra={\"prompt\": \"Enter your %s %s\", \"is_secure\": True})", ex, name, ex, strings.ReplaceAll(name, "_", " ")))
		case 5:
			out = append(out, fmt.Sprintf("        if not self._%s or len(self._%s) < %d: raise ValueError(\"invalid %s %s\")", name, name, 16+g.r.IntN(48), ex, name))
		case 6:
			out = append(out, fmt.Sprintf("        token = await self._get_auth_token(ws_url=\"wss://ws.%s.com/v%d/private\", key=self.api_key)", ex, 1+g.r.IntN(5)))
		case 7:
			out = append(out, fmt.Sprintf("    key_order_id_map = {o.client_order_id: o for o in orders}  # key by id, %s", g.pick(hexDigits, 8)))
		default:
			out = append(out, fmt.Sprintf("        # The %s API wants the %s in the header, signed with the secret", ex, name))
		}
	}
	return out
}

// ciLines: CI workflows and compose files passing secrets by reference.
func (g *gen) ciLines(n int) []string {
	var out []string
	for len(out) < n {
		ex, name := g.word(exchanges), g.word(credNames)
		up := strings.ToUpper(ex + "_" + name)
		switch g.r.IntN(4) {
		case 0:
			out = append(out, fmt.Sprintf("          %s: ${{ secrets.%s }}", up, up))
		case 1:
			out = append(out, fmt.Sprintf("      - run: ./scripts/rotate.sh --exchange %s --key-name %s --token \"$GITHUB_TOKEN\"", ex, name))
		case 2:
			out = append(out, fmt.Sprintf("      %s_%s_FILE: /run/secrets/%s_%s", strings.ToUpper(ex), strings.ToUpper(name), ex, name))
		default:
			out = append(out, fmt.Sprintf("    environment: [\"%s=${%s:?set the %s}\"]", up, up, name))
		}
	}
	return out
}

// noteLines: incident notes and runbooks in prose.
func (g *gen) noteLines(n int) []string {
	var out []string
	for len(out) < n {
		ex, name := g.word(exchanges), g.word(credNames)
		switch g.r.IntN(5) {
		case 0:
			out = append(out, fmt.Sprintf("At %s the %s bot's %s was rotated: the old key (****%s) was revoked and the new secret stored under secret/bots/%s.", g.ts(g.r.IntN(1e6)), ex, name, g.pick(hexDigits, 4), ex))
		case 1:
			out = append(out, fmt.Sprintf("- [ ] check that the %s passphrase and the API key's IP allowlist match (auth errors 40%d otherwise)", ex, 1+g.r.IntN(9)))
		case 2:
			out = append(out, fmt.Sprintf("| %s | %s | ****%s | rotated | token expires in %d days |", ex, name, g.pick(hexDigits, 4), g.r.IntN(90)))
		case 3:
			out = append(out, fmt.Sprintf("Never paste the %s secret key, password or passphrase into chat; use `keygate redact` on logs before sharing them.", ex))
		default:
			out = append(out, fmt.Sprintf("The signed payload is timestamp + method + path + body; the %s signature header carries the HMAC, the key header the API key.", ex))
		}
	}
	return out
}

// authLogLine: a bot's request log, headers masked.
func (g *gen) authLogLine(i, bot int) string {
	ex := g.word(exchanges)
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("%s DEBUG bot=BOT%d %s POST /api/v2/trade/place-order headers={ACCESS-KEY: ****%s, ACCESS-SIGN: ****, ACCESS-PASSPHRASE: ****, ACCESS-TIMESTAMP: %d}", g.ts(i), bot, ex, g.pick(hexDigits, 4), 1764000000000+g.r.Int64N(1e9))
	case 1:
		return fmt.Sprintf("%s INFO bot=BOT%d %s ws login ok api_key=****%s passphrase=**** sign=**** expires=%d", g.ts(i), bot, ex, g.pick(hexDigits, 4), g.r.IntN(1e6))
	case 2:
		return fmt.Sprintf("%s WARN bot=BOT%d %s auth token refresh in %ds (token=****%s, secret unchanged)", g.ts(i), bot, ex, g.r.IntN(600), g.pick(hexDigits, 4))
	}
	return fmt.Sprintf("%s INFO bot=BOT%d %s order filled id=%d key_id=%d checksum=%s", g.ts(i), bot, ex, g.r.Int64N(9e12), g.r.IntN(1000), g.pick(hexDigits, 40))
}
