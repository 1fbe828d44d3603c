//go:build race

package main

// raceEnabled is true when the tests run under the race detector, which
// makes the few tests that push tens of thousands of findings through the
// whole CLI take minutes; they run in the ordinary test suite.
const raceEnabled = true
