package source

import (
	"testing"

	"github.com/keygate/keygate/internal/testmode"
)

func TestMain(m *testing.M) { testmode.Main(m) }
