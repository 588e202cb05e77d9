package main

import "os"

// copyFile copies a small file (druva.yaml into a snapshot).
func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
