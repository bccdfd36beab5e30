//go:build unix

package rotate

import "syscall"

// writable reports whether this process may create files in dir, asking
// the kernel (access(2)) rather than writing a probe file.
func writable(dir string) error {
	const writeAndSearch = 0o2 | 0o1 // W_OK | X_OK
	return syscall.Access(dir, writeAndSearch)
}
