//go:build !unix

package gitobj

import "github.com/keylint/keylint/internal/safeio"

// mapFile reads a file whole where memory mapping is not available.
func mapFile(path string) ([]byte, func() error, error) {
	data, err := safeio.ReadFile(path, -1)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
