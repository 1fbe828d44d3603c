package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/keylint/keylint/rules"
	"github.com/keylint/keylint/scanner"
)

const usage = `keylint finds secrets before they spread.

Usage:
  keylint scan [PATH...]            scan files and directories ("-" reads stdin)
  keylint baseline [PATH...]        record today's findings, so that only new ones fail
  keylint git [REPO]                scan every commit of every ref
  keylint staged                    scan the change staged for the next commit (the pre-commit hook)
  keylint hook install|uninstall    install or remove the git hooks
  keylint ci                        inside GitHub Actions: scan the pull request or push, annotate, fail the check
  keylint config [PATH]             print the effective configuration
  keylint config convert FILE       convert a gitleaks configuration
  keylint rules [list|show ID|test FILE]
  keylint version
  keylint help COMMAND              the flags and examples of a command (or: keylint COMMAND --help)

Common flags:
  --config FILE         configuration file (default: .keylint.toml at the repository root)
  --no-config           ignore .keylint.toml
  -f, --format FORMAT   text, compact, json, jsonl, sarif, csv or html (default text)
  -o, --output FILE     write the report to FILE (created with mode 0600)
  -q, --quiet           no summary on stderr
  --baseline FILE       report only findings not recorded in FILE (default: baseline in .keylint.toml)
  --fail-on SEVERITY    only findings at or above SEVERITY fail (default: fail_on in .keylint.toml, else low)
  --fail-on-skipped     fail (exit 3) when a file could not be scanned: too large, binary, unreadable
  --exit-code N         exit code when there are findings (default 1)
  --show-secrets        print secrets whole instead of redacted
  --verbose             list every warning and stale baseline entry on stderr
  More in keylint help COMMAND.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error (also
not a git repository, or a path that does not exist), 3 scan error: also
when something could not be read (an unreadable file or directory, a damaged
repository; the findings from the rest are still reported) or, with
--fail-on-skipped, a file not scanned, 4 the report could not be written,
130 interrupted.

Examples:
  keylint scan .
  keylint scan -f sarif -o keylint.sarif .
  keylint help scan
`

// env is what a command needs from the process, so tests run in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// code is the exit code of the command dispatch ran.
	code int
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: newStdoutWriter(stdout), stderr: stderr, getenv: os.Getenv}
	return e.main(args)
}

func (e *env) main(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	}
	out := newStdoutWriter(e.stdout)
	e.stdout = out
	var (
		code int
		err  error
	)
	switch cmd, rest := args[0], args[1:]; cmd {
	case "version", "--version":
		if len(rest) > 0 && (rest[0] == "--help" || rest[0] == "-h") {
			writeCommandHelp(e.stdout, "version", nil)
			break
		}
		fmt.Fprintln(e.stdout, versionLine())
	case "help", "-h", "--help":
		code, err = e.helpCmd(rest)
	default:
		err = e.dispatch(cmd, rest)
		code = e.code
	}
	err = out.result(err)
	if errors.Is(err, errHelp) {
		return exitClean
	}
	if err != nil {
		return exitCode(e.stderr, err)
	}
	return code
}

// dispatch runs a command other than help and version; its exit code is
// left in e.code.
func (e *env) dispatch(cmd string, rest []string) error {
	var err error
	switch cmd {
	case "scan":
		e.code, err = e.scan(rest)
	case "rules":
		e.code, err = e.rules(rest)
	case "staged":
		e.code, err = e.staged(rest)
	case "hook":
		e.code, err = e.hook(rest)
	case "git":
		e.code, err = e.gitCmd(rest)
	case "baseline":
		e.code, err = e.baselineCmd(rest)
	case "config":
		e.code, err = e.configCmd(rest)
	case "ci":
		e.code, err = e.ci(rest)
	default:
		err = unknownCommand(cmd)
	}
	return err
}

// version is the module version keylint was built from, or "dev" for a
// build of a work tree.
func version() string {
	v, _ := buildVersion(debug.ReadBuildInfo())
	return v
}

// versionLine is what keylint version prints: the version, and the commit
// and its date when the build recorded them ("+dirty" for uncommitted
// changes).
func versionLine() string {
	v, rev := buildVersion(debug.ReadBuildInfo())
	if rev != "" {
		return fmt.Sprintf("keylint %s (%s)", v, rev)
	}
	return "keylint " + v
}

// buildVersion reads the module version and VCS revision from build info:
// `go install github.com/keylint/keylint/cmd/keylint@v1.2.3` records the
// version; `go build` in a clone records the commit.
func buildVersion(bi *debug.BuildInfo, ok bool) (version, revision string) {
	version = "dev"
	if !ok || bi == nil {
		return version, ""
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		version = v
	}
	var rev, at string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return version, ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	revision = "commit " + rev
	if dirty {
		revision += "+dirty"
	}
	if at != "" {
		revision += ", " + at
	}
	return version, revision
}

// common holds the flags shared by the scanning commands.
type common struct {
	config      string
	noConfig    bool
	format      string
	output      string
	showSecrets bool
	jobs        int
	maxFileSize sizeFlag
	noIgnore    bool
	exitCode    int
	color       string
	noColor     bool
	quiet       bool
	verbose     bool
	baseline    string
	// cfgBaseline is the baseline the configuration names, used when
	// --baseline is not given.
	cfgBaseline string
	failOn      rules.Severity
	// failOnSet is set when --fail-on was given: it then beats fail_on
	// in the configuration.
	failOnSet bool
	// failOnSkipped fails the run when a file could not be scanned
	// (report.Unscanned); listSkipped lists such files on stderr even
	// when quiet (the hooks).
	failOnSkipped, listSkipped bool
	// fullScan is set by commands that scan everything (not a change), so
	// stale baseline entries mean something.
	fullScan bool
	// repository names the scanned repository in the csv report (keylint
	// git, keylint ci); empty for other scans.
	repository string
	// repairHint says how to fix what an incomplete scan could not read
	// (set by keylint git; "" for files).
	repairHint string
	// notices, start and ruleset are set while loading the configuration.
	notices []string
	start   string
	ruleset *rules.Ruleset
	// pinned, when set, replaces the .gitleaksignore and the --baseline
	// file on disk (keylint ci reads them from a pull request's base).
	pinned *pinnedInputs
}

// pinnedInputs are suppressing inputs read before the scan; nil fields
// mean none.
type pinnedInputs struct {
	ignore   *scanner.GitleaksIgnore
	baseline *scanner.Baseline
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "configuration `FILE` (default: .keylint.toml, found from the scanned path up to the repository root)")
	fs.BoolVar(&c.noConfig, "no-config", false, "ignore .keylint.toml and .gitleaksignore: built-in rules only")
	fs.StringVar(&c.format, "format", "text", "report `FORMAT`: text, compact (one line per finding), json, jsonl, sarif, csv or html")
	fs.StringVar(&c.format, "f", "text", "short for --format")
	fs.StringVar(&c.output, "output", "", "write the report to `FILE` (created with mode 0600) instead of stdout")
	fs.StringVar(&c.output, "o", "", "short for --output")
	fs.BoolVar(&c.showSecrets, "show-secrets", false, "print secrets whole instead of redacted")
	fs.IntVar(&c.jobs, "jobs", runtime.NumCPU(), "number of workers, `N`")
	fs.Var(&c.maxFileSize, "max-file-size", "skip files larger than `SIZE` (10MiB, 512KiB, 1048576)")
	fs.BoolVar(&c.noIgnore, "no-ignore", false, "scan files that .gitignore excludes")
	fs.IntVar(&c.exitCode, "exit-code", exitFindings, "exit code `N` when there are findings")
	fs.StringVar(&c.color, "color", "auto", "colour `WHEN`: auto, always or never (NO_COLOR is honoured)")
	fs.BoolVar(&c.noColor, "no-color", false, "same as --color never")
	fs.BoolVar(&c.quiet, "quiet", false, "no summary on stderr")
	fs.BoolVar(&c.quiet, "q", false, "short for --quiet")
	fs.BoolVar(&c.verbose, "verbose", false, "list every warning, silenced finding and stale baseline entry on stderr")
	fs.StringVar(&c.baseline, "baseline", "", "report only findings not recorded in the baseline `FILE`")
	fs.Func("fail-on", "only findings at or above `SEVERITY` (critical, high, medium, low) fail; lower ones are still reported", func(v string) error {
		s := rules.Severity(strings.ToLower(v))
		if s.Rank() == 0 {
			return fmt.Errorf("invalid severity %q (critical, high, medium or low)", v)
		}
		c.failOn = s
		c.failOnSet = true
		return nil
	})
	c.failOn = rules.Low
	fs.BoolVar(&c.failOnSkipped, "fail-on-skipped", false, "fail (exit 3) when a file could not be scanned: too large, binary, unreadable")
}

func (c *common) validate() error {
	if c.jobs < 1 {
		return usagef("give a positive number of workers, e.g. --jobs 4", "--jobs must be at least 1, not %d", c.jobs)
	}
	switch c.color {
	case "auto", "always", "never":
	default:
		return usagef("use --color auto, always or never", "unknown --color value %q", c.color)
	}
	if c.exitCode < 0 || c.exitCode > 125 {
		return usagef("choose an exit code from 0 to 125", "--exit-code %d is out of range", c.exitCode)
	}
	return nil
}

// errHelp is returned by parseCommand once it has printed the usage for
// --help; main turns it into a clean exit.
var errHelp = errors.New("help shown")

// parseCommand parses a command's flags: the common ones, plus those that
// extra registers; then validates them. For --help it prints the usage and
// returns errHelp.
func (e *env) parseCommand(name string, args []string, extra func(*flag.FlagSet)) (*common, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	c := &common{}
	c.register(fs)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.stdout, name, fs)
		return nil, nil, errHelp
	}
	if err != nil {
		return nil, nil, err
	}
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	return c, pos, nil
}

// parseFlags parses flags that may come before, between or after positional
// arguments ("keylint scan . --format json"); "--" ends the flags. A flag
// in an error is named as the user typed it, with the closest known flag
// when it looks like a typo.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	all := args
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, flagError(fs, all, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagError rewrites an error of the flag package in keylint's words: the
// flag as typed (--formt, not -formt) and, for an unknown one, the closest
// known flag.
func flagError(fs *flag.FlagSet, args []string, err error) error {
	msg := err.Error()
	hint := "run `keylint " + fs.Name() + " --help` for the flags"
	typed := func(name string) string {
		for _, a := range args {
			if a == "--" {
				break
			}
			n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if strings.HasPrefix(a, "-") && n == name {
				dashes := a[:len(a)-len(strings.TrimLeft(a, "-"))]
				return dashes + name
			}
		}
		return "--" + name
	}
	if f, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		msg = "unknown flag " + typed(f)
		var names []string
		fs.VisitAll(func(fl *flag.Flag) {
			if len(fl.Name) > 1 {
				names = append(names, fl.Name)
			}
		})
		if s := closest(f, names); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean --%s?)", s[0])
		}
		return usagef(hint, "%s", msg)
	}
	if f, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return usagef(hint, "flag %s needs a value", typed(f))
	}
	// invalid value "x" for flag -name: reason
	if i := strings.Index(msg, " for flag -"); i >= 0 {
		rest := msg[i+len(" for flag -"):]
		name, reason, _ := strings.Cut(rest, ": ")
		return usagef(hint, "%s %s: %s", typed(name), strings.TrimPrefix(msg[:i], "invalid value "), reason)
	}
	if i := strings.Index(msg, " for -"); i >= 0 {
		rest := msg[i+len(" for -"):]
		name, reason, _ := strings.Cut(rest, ": ")
		return usagef(hint, "%s takes no value, or true or false: %s", typed(name), reason)
	}
	return usagef(hint, "%s", msg)
}

// sizeFlag parses sizes such as 10MiB, 512k, 1GB or a plain byte count.
type sizeFlag int64

func (s *sizeFlag) String() string { return strconv.FormatInt(int64(*s), 10) }

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

func parseSize(v string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n <= 0 || n*float64(mult) > 1<<40 {
		return 0, fmt.Errorf("invalid size %q (examples: 10MiB, 512KiB, 1048576)", v)
	}
	return int64(n * float64(mult)), nil
}
