module github.com/keygate/keygate

go 1.26.8

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.6
)
