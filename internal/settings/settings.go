// Package settings resolves what a keylint run does from its three
// sources, once: the command-line flags, the project configuration
// (.keylint.toml and what it extends) and keylint's defaults. A flag
// beats the configuration, which beats the default. The result, a
// [Settings], is built in one place ([Load] or [Resolve]) and passed down
// unchanged to the scan, triage and the report.
package settings

import (
	"context"
	"os"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/rules"
)

// DefaultBaseline is where `keylint baseline` writes when neither
// --output, --baseline nor the configuration's baseline names a file.
const DefaultBaseline = ".keylint-baseline"

// DefaultMaxFileSize is the file size limit when neither --max-file-size
// nor max_file_size in the configuration sets one. It equals the scanner's
// own default.
const DefaultMaxFileSize = 10 << 20

// Color says when output is coloured.
type Color int

// The colour modes of --color.
const (
	// ColorAuto colours a terminal, unless NO_COLOR is set.
	ColorAuto Color = iota
	// ColorAlways colours whatever the output is.
	ColorAlways
	// ColorNever never colours.
	ColorNever
)

// Flags are the values of the flags shared by the scanning commands, as
// the command line gave them. The zero value of a field means "not given"
// where the configuration can supply it (MaxFileSize, FailOn, Baseline).
type Flags struct {
	// Config is --config: the configuration file; "" to discover one.
	Config string
	// NoConfig is --no-config: built-in rules only, no .gitleaksignore.
	NoConfig    bool
	Format      string
	Output      string
	ShowSecrets bool
	Jobs        int
	// MaxFileSize is --max-file-size in bytes; 0 when not given.
	MaxFileSize int64
	NoIgnore    bool
	ExitCode    int
	// Color is --color (auto, always or never); NoColor is --no-color.
	Color   string
	NoColor bool
	Quiet   bool
	Verbose bool
	// Baseline is --baseline; "" when not given.
	Baseline string
	// FailOn is --fail-on; "" when not given.
	FailOn        rules.Severity
	FailOnSkipped bool
}

// Validate checks the flags that need no configuration; a bad one is a
// usage error.
func (f *Flags) Validate() error {
	if f.Jobs < 1 {
		return clierr.Usagef("give a positive number of workers, e.g. --jobs 4", "--jobs must be at least 1, not %d", f.Jobs)
	}
	switch f.Color {
	case "auto", "always", "never":
	default:
		return clierr.Usagef("use --color auto, always or never", "unknown --color value %q", f.Color)
	}
	if f.ExitCode < 0 || f.ExitCode > 125 {
		return clierr.Usagef("choose an exit code from 0 to 125", "--exit-code %d is out of range", f.ExitCode)
	}
	return nil
}

// Settings are the resolved settings of one run. They are not changed
// after [Resolve]; a command that needs other settings (the hooks are
// quiet, a baseline never holds secrets) says so in the [Flags] it
// resolves from.
type Settings struct {
	// Start is the path the configuration was looked up from (a scanned
	// path, or the repository).
	Start string
	// Config and NoConfig are --config and --no-config.
	Config   string
	NoConfig bool
	// Ruleset is the active rules: the built-in ones merged with the
	// configuration, allowlists included.
	Ruleset *rules.Ruleset
	// Notices are the configuration's messages for the user.
	Notices []string

	Format      string
	Output      string
	ShowSecrets bool
	Jobs        int
	// MaxFileSize is the file size limit: --max-file-size, else
	// max_file_size in the configuration, else [DefaultMaxFileSize].
	MaxFileSize int64
	NoIgnore    bool
	// ExitCode is the exit code when findings fail the run.
	ExitCode int
	Color    Color
	Quiet    bool
	Verbose  bool
	// FailOn is the lowest severity that fails the run: --fail-on, else
	// fail_on in the configuration, else low.
	FailOn        rules.Severity
	FailOnSkipped bool
	// Baseline is the baseline file to apply: --baseline, else the one the
	// configuration names; "" for none. BaselineFromConfig is set in the
	// second case (a missing file is then a warning, not an error).
	Baseline           string
	BaselineFromConfig bool
}

// Load reads the configuration for start (--config, or .keylint.toml found
// from start up to the repository root, with the files it extends; none
// with --no-config) and resolves the settings.
func Load(ctx context.Context, f Flags, start string) (Settings, error) {
	l, err := config.LoadContext(ctx, config.Options{Path: f.Config, Disabled: f.NoConfig, Start: start})
	if err != nil {
		return Settings{}, err
	}
	return Resolve(f, l, start), nil
}

// LoadBase resolves the settings of a pull request in dir from its base
// commit base (head is its head): the configuration, and the
// .gitleaksignore and baseline returned with it, are read from the base,
// which the pull request cannot change, however their paths are spelled.
func LoadBase(ctx context.Context, f Flags, dir, base, head string) (Settings, *config.Base, error) {
	cwd, _ := os.Getwd()
	b, err := config.LoadBase(ctx, config.BaseOptions{Repo: dir, Cwd: cwd, Base: base, Head: head,
		Config: f.Config, Disabled: f.NoConfig, Baseline: f.Baseline})
	if err != nil {
		return Settings{}, nil, err
	}
	return Resolve(f, b.Config, dir), b, nil
}

// Resolve combines flags with a loaded configuration (which may come from
// elsewhere than the disk: keylint ci reads a pull request's from its base
// commit). start is where the configuration was looked up from.
func Resolve(f Flags, l *config.Loaded, start string) Settings {
	s := Settings{
		Start:         start,
		Config:        f.Config,
		NoConfig:      f.NoConfig,
		Ruleset:       l.Ruleset,
		Notices:       append([]string(nil), l.Notices...),
		Format:        f.Format,
		Output:        f.Output,
		ShowSecrets:   f.ShowSecrets,
		Jobs:          f.Jobs,
		MaxFileSize:   f.MaxFileSize,
		NoIgnore:      f.NoIgnore,
		ExitCode:      f.ExitCode,
		Quiet:         f.Quiet,
		Verbose:       f.Verbose,
		FailOn:        f.FailOn,
		FailOnSkipped: f.FailOnSkipped,
		Baseline:      f.Baseline,
	}
	if s.MaxFileSize <= 0 && l.Ruleset != nil {
		s.MaxFileSize = l.Ruleset.MaxFileSize
	}
	if s.MaxFileSize <= 0 {
		s.MaxFileSize = DefaultMaxFileSize
	}
	if s.FailOn == "" {
		s.FailOn = l.FailOn
	}
	if s.FailOn == "" {
		s.FailOn = rules.Low
	}
	if s.Baseline == "" && l.Baseline != "" {
		s.Baseline, s.BaselineFromConfig = l.Baseline, true
	}
	switch {
	case f.NoColor || f.Color == "never":
		s.Color = ColorNever
	case f.Color == "always":
		s.Color = ColorAlways
	}
	return s
}

// Colored decides whether output to a stream is coloured: --color always
// or never, else only on a terminal and without NO_COLOR (noColorEnv is
// set when the NO_COLOR variable is not empty).
func (s Settings) Colored(terminal, noColorEnv bool) bool {
	switch s.Color {
	case ColorNever:
		return false
	case ColorAlways:
		return true
	}
	return !noColorEnv && terminal
}

// BaselineFile is the file `keylint baseline` writes (and, with --prune,
// reads): --output, else --baseline or the configuration's baseline,
// else [DefaultBaseline].
func (s Settings) BaselineFile() string {
	switch {
	case s.Output != "":
		return s.Output
	case s.Baseline != "":
		return s.Baseline
	}
	return DefaultBaseline
}
