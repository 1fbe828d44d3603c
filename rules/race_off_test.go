//go:build !race

package rules

// RaceEnabled: see race_on_test.go.
const RaceEnabled = false
