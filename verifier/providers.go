package verifier

import (
	"net/url"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/internal/apiclient"
	"github.com/keygate/keygate/okx"
)

// DefaultProviders returns a verifier of every provider keygate knows, each
// at its documented base URL unless its KEYGATE_<NAME>_BASE_URL
// environment variable names another (a testnet, a stand-in in tests).
func DefaultProviders() ([]Provider, error) {
	u, _, err := bitget.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	bn, err := binance.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	ok, err := okx.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	by, err := bybit.ResolveBaseURL("")
	if err != nil {
		return nil, err
	}
	providers := []Provider{NewBitget(bitget.New(u)), NewBinance(binance.New(bn)), NewOKX(okx.New(ok)), NewBybit(bybit.New(by))}
	for _, t := range []struct {
		env, def string
		make     func(*url.URL) Provider
	}{
		{TelegramEnvBaseURL, TelegramBaseURL, func(u *url.URL) Provider { return NewTelegram(u) }},
		{SlackEnvBaseURL, SlackBaseURL, func(u *url.URL) Provider { return NewSlack(u) }},
		{GitHubEnvBaseURL, GitHubBaseURL, func(u *url.URL) Provider { return NewGitHub(u) }},
	} {
		u, err := apiclient.ResolveBaseURL(t.env, t.env, "", t.def)
		if err != nil {
			return nil, err
		}
		providers = append(providers, t.make(u))
	}
	return providers, nil
}
