package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/report"
	"github.com/keylint/keylint/rules"
)

// usageTemplate is keylint's help; {{formats}} stands for the list of
// report formats.
//
//go:embed help/usage.txt
var usageTemplate string

// usage is keylint's help, printed by `keylint help` and for a missing
// command.
func usage() string {
	return strings.Replace(usageTemplate, "{{formats}}", orList(strings.Join(report.Formats(), ", ")), 1)
}

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
		fmt.Fprint(e.stderr, usage())
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
	case "merge":
		e.code, err = e.mergeCmd(rest)
	case "cache":
		e.code, err = e.cacheCmd(rest)
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

// registerFlags registers the flags shared by the scanning commands, to be
// parsed into f.
func registerFlags(fs *flag.FlagSet, f *settings.Flags) {
	fs.StringVar(&f.Config, "config", "", "configuration `FILE` (default: .keylint.toml, found from the scanned path up to the repository root)")
	fs.BoolVar(&f.NoConfig, "no-config", false, "ignore .keylint.toml and .gitleaksignore: built-in rules only")
	formats := strings.Join(report.Formats(), ", ")
	formats = strings.Replace(formats, "compact", "compact (one line per finding)", 1)
	fs.StringVar(&f.Format, "format", "text", "report `FORMAT`: "+orList(formats))
	fs.StringVar(&f.Format, "f", "text", "short for --format")
	fs.StringVar(&f.Output, "output", "", "write the report to `FILE` (created with mode 0600) instead of stdout")
	fs.StringVar(&f.Output, "o", "", "short for --output")
	fs.BoolVar(&f.ShowSecrets, "show-secrets", false, "print secrets whole instead of redacted")
	fs.IntVar(&f.Jobs, "jobs", runtime.NumCPU(), "number of workers, `N`")
	fs.Var((*sizeFlag)(&f.MaxFileSize), "max-file-size", "skip files larger than `SIZE` (10MiB, 512KiB, 1048576)")
	fs.BoolVar(&f.NoIgnore, "no-ignore", false, "scan files that .gitignore excludes")
	fs.IntVar(&f.ExitCode, "exit-code", exitFindings, "exit code `N` when there are findings")
	fs.StringVar(&f.Color, "color", "auto", "colour `WHEN`: auto, always or never (NO_COLOR is honoured)")
	fs.BoolVar(&f.NoColor, "no-color", false, "same as --color never")
	fs.BoolVar(&f.Quiet, "quiet", false, "no summary on stderr")
	fs.BoolVar(&f.Quiet, "q", false, "short for --quiet")
	fs.BoolVar(&f.Verbose, "verbose", false, "list every warning, silenced finding and stale baseline entry on stderr")
	fs.StringVar(&f.Baseline, "baseline", "", "report only findings not recorded in the baseline `FILE`")
	fs.Func("fail-on", "only findings at or above `SEVERITY` (critical, high, medium, low) fail; lower ones are still reported", func(v string) error {
		s := rules.Severity(strings.ToLower(v))
		if s.Rank() == 0 {
			return fmt.Errorf("invalid severity %q (critical, high, medium or low)", v)
		}
		f.FailOn = s
		return nil
	})
	fs.BoolVar(&f.FailOnSkipped, "fail-on-skipped", false, "fail (exit 3) when a file could not be scanned: too large, binary, unreadable")
}

// orList turns "a, b, c" into "a, b or c".
func orList(list string) string {
	if i := strings.LastIndex(list, ", "); i >= 0 {
		return list[:i] + " or " + list[i+2:]
	}
	return list
}

// validateFlags checks the shared flags that need no configuration.
func validateFlags(f *settings.Flags) error {
	if f.Jobs < 1 {
		return usagef("give a positive number of workers, e.g. --jobs 4", "--jobs must be at least 1, not %d", f.Jobs)
	}
	switch f.Color {
	case "auto", "always", "never":
	default:
		return usagef("use --color auto, always or never", "unknown --color value %q", f.Color)
	}
	if f.ExitCode < 0 || f.ExitCode > 125 {
		return usagef("choose an exit code from 0 to 125", "--exit-code %d is out of range", f.ExitCode)
	}
	return nil
}

// errHelp is returned by parseCommand once it has printed the usage for
// --help; main turns it into a clean exit.
var errHelp = errors.New("help shown")

// parseCommand parses a command's flags: the common ones, plus those that
// extra registers; then validates them. For --help it prints the usage and
// returns errHelp.
func (e *env) parseCommand(name string, args []string, extra func(*flag.FlagSet)) (*settings.Flags, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	c := &settings.Flags{}
	registerFlags(fs, c)
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
	if err := validateFlags(c); err != nil {
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

// sizeFlag parses sizes such as 10MiB, 512k, 1GB or a plain byte count
// into an int64.
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
