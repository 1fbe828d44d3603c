// Package gitleaks converts a gitleaks v8 configuration file into a keylint
// rule file ([Parse]) and maps gitleaks rule ids to keylint's ([RuleIDs]),
// for .gitleaksignore fingerprints. It imports rules; rules does not import
// it.
package gitleaks
