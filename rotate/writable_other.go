//go:build !unix

package rotate

import "os"

// writable creates and removes a probe file: there is no access(2) here.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".keygate-probe-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}
