//go:build race

package rules

// RaceEnabled is true when the tests run under the race detector, whose
// instrumentation changes what allocation counts measure and makes
// megabyte-sized adversarial inputs take minutes; those tests run in the
// ordinary test suite.
const RaceEnabled = true
