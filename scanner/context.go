package scanner

import (
	"path"
	"strings"

	"github.com/keylint/keylint/rules"
)

// Context: a generic rule's finding whose every location is in a test,
// example or documentation file is still reported, one severity lower. Such
// files are full of sample credentials; a real one there is still a leak,
// but a less likely one. Rules with a fixed format (provider keys, private
// keys) are not lowered: a live-looking AWS key in a test is as bad as
// anywhere else.

// lowContextDirs are directory names that hold tests, examples or docs.
var lowContextDirs = map[string]bool{
	"test": true, "tests": true, "__tests__": true, "spec": true, "specs": true, "testdata": true,
	"test-data": true, "test_data": true, "fixtures": true, "__fixtures__": true, "__mocks__": true,
	"e2e": true, "examples": true, "example": true, "samples": true, "sample": true, "demo": true,
	"docs": true, "doc": true, "documentation": true,
	"mocks": true, "stubs": true, "test-fixtures": true, "integration-tests": true, "unit-tests": true,
	"testutil": true, "testutils": true, "cypress": true, "__snapshots__": true, "spec-fixtures": true,
}

// testProjectSuffixes end directory names of test projects: Core.Tests,
// Acme.UnitTests, api-tests, billing_test.
var testProjectSuffixes = []string{".tests", ".test", ".unittests", ".integrationtests", ".acceptancetests",
	"-tests", "_tests", "-test", "_test"}

// lowContextSuffixes are file name endings of tests and documentation.
var lowContextSuffixes = []string{
	"_test.go", "_test.py", "_tests.py", "_spec.rb", "_test.rb", "_test.exs", "_test.dart",
	".test.js", ".test.jsx", ".test.ts", ".test.tsx", ".test.mjs", ".test.cjs", "_test.ts", "_test.js", "_spec.js",
	"_spec.ts", "_test.cpp", "_test.cc", "_test.c", "_test.rs", "_tests.rs",
	".spec.js", ".spec.jsx", ".spec.ts", ".spec.tsx", ".spec.mjs", ".spec.cjs",
	".md", ".mdx", ".markdown", ".rst", ".adoc", ".asciidoc",
}

// testClassSuffixes end test classes, matched with their case: FooTest.java
// is a test, Latest.java is not.
var testClassSuffixes = []string{
	"Test.java", "Tests.java", "IT.java", "Test.kt", "Tests.kt", "Test.cs", "Tests.cs", "Test.php", "Tests.swift",
	"Spec.kt", "Spec.groovy", "Spec.scala", "Test.scala", "Spec.hs", "Spec.js", "Spec.ts", "Tests.m", "Test.m",
}

// inTestOrDocs reports whether a slash-separated path is a test, example or
// documentation file.
func inTestOrDocs(p string) bool {
	lp := strings.ToLower(p)
	dir, base := path.Split(lp)
	for _, seg := range strings.Split(strings.Trim(dir, "/"), "/") {
		if lowContextDirs[seg] {
			return true
		}
		for _, suf := range testProjectSuffixes {
			if strings.HasSuffix(seg, suf) && len(seg) > len(suf) {
				return true
			}
		}
	}
	if strings.HasPrefix(base, "test_") {
		return true // pytest
	}
	for _, s := range lowContextSuffixes {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	for _, s := range testClassSuffixes {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

// lowContextNote is the reason given with a lowered severity.
const lowContextNote = "severity lowered one level: found only in test, example or documentation files, " +
	"where sample credentials are common; a real one there is still a leak (use --fail-on to choose)"

// lowerSeverity returns the next severity down; low stays low.
func lowerSeverity(s rules.Severity) rules.Severity {
	switch s {
	case rules.Critical:
		return rules.High
	case rules.High:
		return rules.Medium
	}
	return rules.Low
}

// lowLocationNote is the reason given with a location's lowered severity.
const lowLocationNote = "severity lowered one level: a test, example or documentation file"

// locationSeverity is a hit's location with its own severity (issue 17): a
// key seen in src/ and in test/ is as severe as its worst location, and
// each location says why it is less severe than its rule.
func locationSeverity(h Hit) Location {
	loc := h.Loc
	switch {
	case h.Raise:
		loc.Severity = rules.Critical
	case h.Rule.Generic && inTestOrDocs(loc.Path):
		loc.Severity, loc.Context = lowerSeverity(h.Rule.Severity), lowLocationNote
	default:
		loc.Severity = h.Rule.Severity
	}
	return loc
}
