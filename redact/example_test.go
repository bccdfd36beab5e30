package redact_test

import (
	"fmt"
	"log"
	"os"

	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/redact"
)

// A service masks its log output and the error texts it reports. README's
// snippet is this example.
func ExampleNew() {
	// In a service the value comes from its environment:
	// os.Getenv("BOT1_BITGET_API_SECRET").
	secret := "Syn7heticSecretValue4Docs0nly9f3a"
	values := []detector.KnownValue{{Name: "BOT1_BITGET_API_SECRET", Value: secret}}
	r, err := redact.New(values, nil) // nil: the embedded default rule pack
	if err != nil {
		log.Fatal(err)
	}
	w := r.Writer(os.Stdout) // an io.WriteCloser; Close flushes a last partial line
	logger := log.New(w, "", 0)
	logger.Printf("signing the order with %s", secret)
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	apiErr := fmt.Errorf("order rejected: key bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0 is invalid")
	fmt.Println(r.String(apiErr.Error()))
	// Output:
	// signing the order with ****9f3a
	// order rejected: key ****e1f0 is invalid
}
