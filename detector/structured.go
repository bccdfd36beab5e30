package detector

import (
	"bytes"
	"regexp"
	"strings"
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

// siblingName is a member that names its object's value.
var siblingName = regexp.MustCompile(`(?im)(?:^|[\s{,\-])["']?(?:key|name)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9_.:-]{1,80})`)

// resourceType is a Terraform state resource's type member.
var resourceType = regexp.MustCompile(`"type"[ \t]*:[ \t]*"([a-z0-9_]+)"`)

// accountsList is the name of a hardhat or foundry network's key list.
var accountsList = regexp.MustCompile(`(?i)\baccounts["']?[ \t]*[:=][ \t]*$`)

// tfReach bounds how far back a state value looks for its resource.
const tfReach = 16 << 10

// structuredValue reports whether the value at buf[start:end] is named a
// credential by its structure and looks like key material.
func structuredValue(buf []byte, start, end int) bool {
	ls, _ := lineBounds(buf, start, end)
	own, quoted := nameBefore(buf[ls:start])
	name := structuredName(buf, start, end, own)
	return name != "" && secretName(name) && credentialValue(buf, start, end, name, quoted)
}

// structuredName is the name the structure around a value gives it, or "".
func structuredName(buf []byte, start, end int, own string) string {
	bs, be := groupBounds(buf, start)
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
	ls, _ := lineBounds(buf, start, end)
	if ls > 0 {
		ps, _ := lineBounds(buf, ls-1, ls-1)
		if m := siblingName.FindSubmatch(buf[ps : ls-1]); m != nil {
			return string(m[1])
		}
	}
	return ""
}
