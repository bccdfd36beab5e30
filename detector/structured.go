package detector

import (
	"bytes"
	"strings"

	"github.com/keygate/keygate/internal/lazyre"
)

// Structured key/value pairs (rules.GateStructured). In Postman
// environments, HAR files, Kubernetes env lists, JWKs and Terraform state
// a value's name is not written before it: a sibling member names it
// (`{"key": "secretKey", "value": "…"}`, `{"name": "ACCESS-PASSPHRASE",
// "value": "…"}`, `- name: BITGET_PASSPHRASE` over `value: …`), or the
// structure does (a JWK's private member "d", the "result" of a Terraform
// random_password, the elements of a hardhat network's `accounts` list). The gate finds that name and judges name and value as
// the generic gate does. Like the group gate it reads past the match's
// line and is applied after filtering, over the whole text (judgeContext).
// A Terraform state also marks values itself: an instance's
// sensitive_attributes name the attributes to treat as secrets, and the
// sensitive gate (rules.GateSensitive, tfSensitive) takes those as
// passwords whatever their name.

// siblingName is a member that names its object's value.
var siblingName = lazyre.New(`(?im)(?:^|[\s{,\-])["']?(?:key|name)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9_.:-]{1,80})`)

// resourceType is a Terraform state resource's type member.
var resourceType = lazyre.New(`"type"[ \t]*:[ \t]*"([a-z0-9_]+)"`)

// accountsList is the name of a hardhat or foundry network's key list.
var accountsList = lazyre.New(`(?i)\baccounts["']?[ \t]*[:=][ \t]*$`)

// tfReach bounds how far back a state value looks for its resource.
const tfReach = 16 << 10

// structuredValue reports whether the value at buf[start:end] is named a
// credential by its structure and looks like key material.
func structuredValue(x *textLines, start, end int) bool {
	ls := x.lineStart(start)
	own, quoted := nameBefore(x.buf[ls:start])
	name := structuredName(x, start, end, own)
	return name != "" && secretName(name) && credentialValue(x, start, end, name, quoted)
}

// sensitiveValue reports whether the value at buf[start:end] is an
// attribute its Terraform state instance marks sensitive
// (rules.GateSensitive) and looks like key material: judged as a
// password is, whatever its name ("value", "result",
// "master_user_secret_value").
func sensitiveValue(x *textLines, start, end int) bool {
	ls := x.lineStart(start)
	own, quoted := nameBefore(x.buf[ls:start])
	return own != "" && tfSensitive(x.buf, end, own) && credentialValue(x, start, end, "password", quoted)
}

// tfSensitive reports whether the string member name ending at end (its
// closing quote) is a top-level attribute of a Terraform state instance
// whose sensitive_attributes name it: `"attributes": {"password": "…"},
// "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]`.
// It reads forward only, string-aware: the first unmatched bracket must
// close the attributes object, and the instance must hold the list before
// its own close; a nested member's path has more than one step and is not
// taken.
func tfSensitive(buf []byte, end int, name string) bool {
	lim := min(len(buf), end+tfReach)
	if end >= lim || buf[end] != '"' {
		return false
	}
	depth, closed := 0, false
	for i := end + 1; i < lim; i++ {
		switch c := buf[i]; c {
		case '"':
			j := stringEnd(buf, i, lim)
			if j >= lim {
				// Unclosed before the reach (a minified file's
				// grammar, a cut text): no state member follows.
				return false
			}
			if closed && depth == 0 && bytes.HasPrefix(buf[i:j+1], []byte(`"sensitive_attributes"`)) {
				return sensitiveNames(buf[j+1:lim], name)
			}
			i = j
		case '{', '[':
			depth++
		case '}', ']':
			if depth > 0 {
				depth--
				continue
			}
			if closed || c != '}' {
				return false
			}
			closed = true
		}
	}
	return false
}

// stringEnd is the offset of the quote closing the JSON string opened at
// open, or lim.
func stringEnd(buf []byte, open, lim int) int {
	for i := open + 1; i < lim; i++ {
		switch buf[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return lim
}

// sensitivePath is a one-step path of a state's sensitive_attributes: a
// top-level attribute's name.
var sensitivePath = lazyre.New(`\[\s*\{\s*"type"\s*:\s*"get_attr"\s*,\s*"value"\s*:\s*"([^"\\]{1,80})"\s*\}\s*\]`)

// sensitiveNames reports whether the sensitive_attributes list at the
// start of rest (after its key) names the attribute name.
func sensitiveNames(rest []byte, name string) bool {
	i := bytes.IndexByte(rest, '[')
	if i < 0 || len(bytes.TrimLeft(rest[:i], " \t\r\n:")) > 0 {
		return false
	}
	for _, m := range sensitivePath.FindAllSubmatch(rest[i+1:closeOf(rest, i)], -1) {
		if string(m[1]) == name {
			return true
		}
	}
	return false
}

// structuredName is the name the structure around a value gives it, or "".
func structuredName(x *textLines, start, end int, own string) string {
	buf := x.buf
	bs, be := groupBounds(x, start)
	obj := buf[bs:be]
	switch strings.ToLower(own) {
	case "d":
		if bytes.Contains(obj, []byte(`"kty"`)) {
			return "private_key" // a JWK's private exponent or scalar
		}
		return ""
	case "":
		// An element of a list: a hardhat/foundry network's `accounts: [`
		// holds private keys.
		if bs < start && buf[bs] == '[' && accountsList.Match(buf[max(0, bs-64):bs]) {
			return "private_key"
		}
	case "result":
		ms := resourceType.FindAllSubmatch(buf[max(0, start-tfReach):start], -1)
		if len(ms) > 0 && string(ms[len(ms)-1][1]) == "random_password" {
			return "password"
		}
		return ""
	}
	for _, m := range siblingName.FindAllSubmatchIndex(obj, -1) {
		if bs+m[2] <= start && start < bs+m[3] {
			continue
		}
		return string(obj[m[2]:m[3]])
	}
	// A YAML list item: `- name: X` on the line above `value: …`.
	ls := x.lineStart(start)
	if ls > 0 {
		ps := x.lineStart(ls - 1)
		if m := siblingName.FindSubmatch(buf[ps : ls-1]); m != nil {
			return string(m[1])
		}
	}
	return ""
}
