package rules

// Defaults returns the compiled-in default rules as a [File], readied once
// per process and shared: callers copy a rule before changing it.
func Defaults() (*File, error) { return defaultFile() }

// Prepare readies a File built in code rather than decoded from TOML (as
// rules/gitleaks builds one from a gitleaks configuration) the way [Parse]
// readies a decoded one: it names the file, gives every rule its source
// (name, and the line lines holds for it, 0 when absent) and checks and
// compiles every rule and allowlist. The error is a *[ConfigError].
func Prepare(name string, f *File, lines map[*Rule]int) error {
	f.name = name
	share := allowShare{}
	for _, r := range f.Rules {
		r.source, r.line = name, lines[r]
		if err := r.prepare(false, share); err != nil {
			return &ConfigError{File: name, Line: r.line, RuleID: r.ID, Err: err}
		}
	}
	for i := range f.Allow {
		if err := f.Allow[i].compile(); err != nil {
			return &ConfigError{File: name, Err: err}
		}
	}
	return nil
}
