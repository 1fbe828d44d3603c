package settings

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/keylint/keylint/rules"
)

// RulesHash identifies the effective rules and the settings that change
// what a report holds: every rule and allowlist as TOML, the file size
// limit and whether secrets are shown. Reports of an audit's shards carry
// it so that keylint merge can check that they agree, and the blob cache
// keeps one generation per hash.
func (s Settings) RulesHash() (string, error) {
	h := sha256.New()
	f := &rules.File{Rules: s.Ruleset.Rules(), Allow: s.Ruleset.Allowlists(), MaxFileSize: s.Ruleset.MaxFileSize}
	if err := rules.EncodeFile(h, f); err != nil {
		return "", fmt.Errorf("rules hash: %w", err)
	}
	fmt.Fprintf(h, "\x00max-file-size=%d\x00show-secrets=%t\x00", s.MaxFileSize, s.ShowSecrets)
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}
