//go:build !unix

package gitobj

// mapFile reads a file whole where memory mapping is not available.
func mapFile(path string) ([]byte, func() error, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
