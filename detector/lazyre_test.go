package detector

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/keygate/keygate/internal/lazyre"
)

// The package's patterns compile on first use, not at start-up: each one
// compiles.
func TestPatternsCompile(t *testing.T) {
	for _, re := range []*lazyre.Regexp{accountsList, annotationType, drivePath, evmAddress, exampleHost, expansionOpen, fileExt, imageURL, intervalPart, keyAttr, keyPrefix, loopbackHost, member, memberPrefix, placeholderIdent, pragmaRE, resourceType, sensitivePath, siblingName, typeName, typeShape, typeWithSecretWord} {
		assert.NotPanics(t, func() { re.Regexp() }, re.String())
	}
}
