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
                                    (--explain: list every rejected candidate and why on stderr)
  keylint baseline [PATH...]        record today's findings (--output FILE, default .keylint-baseline; --prune)
  keylint git [REPO]                scan every commit of every ref (--branch, --range A..B, --since, --until, --max-commits)
  keylint staged                    scan the change staged for the next commit (the pre-commit hook)
  keylint hook install|uninstall [--pre-push] [--force]
                                    install or remove the git hooks (keylint hook help)
  keylint ci                        inside GitHub Actions: scan the pull request or push, annotate, fail the check
  keylint config [PATH]             print the effective configuration
  keylint config convert FILE       convert a gitleaks configuration (--output .keylint.toml)
  keylint rules [list|show ID|test FILE]
  keylint version

Common flags:
  --config FILE        configuration file (default: .keylint.toml at the repository root)
  --no-config          ignore .keylint.toml
  --format FORMAT      text, json, jsonl, sarif, csv or html (default text)
  --output FILE        write the report to FILE (created with mode 0600)
  --show-secrets       print secrets whole instead of redacted
  --jobs N             number of workers (default: number of CPUs)
  --max-file-size SIZE skip larger files (default 10MiB)
  --no-ignore          scan files that .gitignore excludes
  --exit-code N        exit code when there are findings (default 1)
  --color WHEN         auto, always or never (NO_COLOR is honoured)
  --no-color           same as --color never
  --quiet              no summary on stderr
  --verbose            list every warning and stale baseline entry on stderr
  --baseline FILE      report only findings not recorded in FILE
  --fail-on SEVERITY   only findings at or above SEVERITY fail (default low)
  --fail-on-skipped    fail (exit 3) when a file could not be scanned: too large,
                       binary, unreadable (files skipped on purpose do not count)

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error,
3 scan error: also when something could not be read (an unreadable file or
directory, a damaged repository; the findings from the rest are still
reported) or, with --fail-on-skipped, a file not scanned, 4 the report
could not be written, 130 interrupted.
When the reader of the output goes away (keylint scan | head), keylint
stops writing quietly and exits as it would have.

Example:
  keylint scan .
  keylint scan --format sarif --output keylint.sarif .
`

// env is what a command needs from the process, so tests run in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
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
	case "scan":
		code, err = e.scan(rest)
	case "rules":
		code, err = e.rules(rest)
	case "staged":
		code, err = e.staged(rest)
	case "hook":
		code, err = e.hook(rest)
	case "git":
		code, err = e.gitCmd(rest)
	case "baseline":
		code, err = e.baselineCmd(rest)
	case "config":
		code, err = e.configCmd(rest)
	case "ci":
		code, err = e.ci(rest)
	case "version", "--version":
		fmt.Fprintf(e.stdout, "keylint %s\n", version())
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, usage)
	default:
		err = usagef("run `keylint help` to list the commands", "unknown command %q", cmd)
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

// version is the module version keylint was built from, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
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
	failOn      rules.Severity
	// failOnSkipped fails the run when a file could not be scanned
	// (report.Unscanned); listSkipped lists such files on stderr even
	// when quiet (the hooks).
	failOnSkipped, listSkipped bool
	// fullScan is set by commands that scan everything (not a change), so
	// stale baseline entries mean something.
	fullScan bool
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
	fs.StringVar(&c.config, "config", "", "configuration file")
	fs.BoolVar(&c.noConfig, "no-config", false, "ignore .keylint.toml")
	fs.StringVar(&c.format, "format", "text", "report format")
	fs.StringVar(&c.output, "output", "", "write the report to this file")
	fs.BoolVar(&c.showSecrets, "show-secrets", false, "print secrets whole")
	fs.IntVar(&c.jobs, "jobs", runtime.NumCPU(), "number of workers")
	fs.Var(&c.maxFileSize, "max-file-size", "skip larger files")
	fs.BoolVar(&c.noIgnore, "no-ignore", false, "do not honour .gitignore")
	fs.IntVar(&c.exitCode, "exit-code", exitFindings, "exit code when there are findings")
	fs.StringVar(&c.color, "color", "auto", "auto, always or never")
	fs.BoolVar(&c.noColor, "no-color", false, "no colour")
	fs.BoolVar(&c.quiet, "quiet", false, "no summary")
	fs.BoolVar(&c.verbose, "verbose", false, "more detail on stderr")
	fs.StringVar(&c.baseline, "baseline", "", "report only findings not in this baseline file")
	fs.Func("fail-on", "minimum severity that fails (critical, high, medium, low)", func(v string) error {
		s := rules.Severity(strings.ToLower(v))
		if s.Rank() == 0 {
			return fmt.Errorf("invalid severity %q (critical, high, medium or low)", v)
		}
		c.failOn = s
		return nil
	})
	c.failOn = rules.Low
	fs.BoolVar(&c.failOnSkipped, "fail-on-skipped", false, "fail when a file could not be scanned (too large, binary, unreadable)")
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
		fmt.Fprint(e.stdout, usage)
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
// arguments ("keylint scan . --format json"); "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			msg := err.Error()
			if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				msg = "unknown flag " + f
			}
			return nil, usagef("run `keylint help` for the flags", "%s", msg)
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
