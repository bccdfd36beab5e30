package placeholder

import "strings"

// publishedKeys are private keys published as test data: the first twenty
// accounts of the development mnemonic Hardhat, Anvil and Foundry share
// ("test test … junk", m/44'/60'/0'/0/i). Every hardhat config, deploy
// script and tutorial carries them; their accounts are drained the moment
// they hold anything, so they guard nothing (the mnemonic itself is a
// published test phrase, see detector's publicMnemonics).
var publishedKeys = map[string]bool{
	"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80": true,
	"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d": true,
	"5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a": true,
	"7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6": true,
	"47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a": true,
	"8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba": true,
	"92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e": true,
	"4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356": true,
	"dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97": true,
	"2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6": true,
	"f214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897": true,
	"701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82": true,
	"a267530f49f8280200edf313ee7af6b827f2a8bce2897751d06a843f644967b1": true,
	"47c99abed3324a2707c28affff1267e45918ec8c3f20b8aa892e8b065d2942dd": true,
	"c526ee95bf44d8fc405a158bb884d9d1238d99f0612e9f33d006bb0789009aaa": true,
	"8166f546bab6da521a8369cab06c5d2b9e46670292d85c875ee9ec20e84ffb61": true,
	"ea6c44ac03bff858b476bba40716402b03e41b8e97e276d1baec7c37d42484a0": true,
	"689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd": true,
	"de9be858da4a475276426320d5e9262ecfc3ba460bfac56360bfa6c4c28b4ee0": true,
	"df57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e": true,
}

// publishedExchangeKeys are keys and signatures exchanges publish in their
// API documentation to show how a request is signed, which SDKs'
// docstrings, tests and tutorials copy: Binance's (binance-spot-api-docs:
// the HMAC example pair and its two example signatures, and the RSA and
// Ed25519 examples' API keys).
var publishedExchangeKeys = map[string]bool{
	"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A": true,
	"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j": true,
	"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71": true,
	"e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3": true,
	"CAvIjXy3F44yW6Pou5k8Dy1swsYDWJZLeoK2r8G4cFDnE9nosRppc2eKc1T8TRTQ": true,
	"4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO": true,
}

// publishedPasswords are the cleartext passwords NuGet's nuget.config
// reference shows for a package source's credentials, which projects copy
// into their own nuget.config as a template.
var publishedPasswords = map[string]bool{
	"33f!!lloppa":    true,
	"hal+9ooo_da!sY": true,
}

// published reports one of publishedKeys, with or without its 0x, in
// either case, or one of publishedExchangeKeys or publishedPasswords as
// written.
func published(v string) bool {
	if publishedExchangeKeys[v] || publishedPasswords[v] {
		return true
	}
	if len(v) == 66 && (v[:2] == "0x" || v[:2] == "0X") {
		v = v[2:]
	}
	return len(v) == 64 && publishedKeys[strings.ToLower(v)]
}

// publishedKeyBlocks are the bodies (base64, lines joined) of private keys
// that documentation publishes to show a signature's computation: Binance's
// FIX API example Ed25519 key (binance-spot-api-docs, fix-api.md).
var publishedKeyBlocks = map[string]bool{
	"MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u": true,
}

// KeyBlock reports a private key block's body, base64 with its lines
// joined, that documentation publishes, as written. A body marked
// EXAMPLE is no example by that alone: a change could write the marker
// over seven characters of a real key and pass, and an RSA key missing a
// few characters of one field is whole again from the others.
func KeyBlock(body string) bool {
	return publishedKeyBlocks[body]
}
