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
	"strings"

	"github.com/keylint/keylint/internal/cliflag"
	"github.com/keylint/keylint/internal/iostreams"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/version"
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
	return strings.Replace(usageTemplate, "{{formats}}", report.FormatList(), 1)
}

// env is what a command needs from the process, so tests run in-process.
type env struct {
	ctx context.Context
	iostreams.IOStreams
	// code is the exit code of the command dispatch ran.
	code int
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, IOStreams: iostreams.IOStreams{In: stdin, Out: iostreams.NewStdout(stdout), ErrOut: stderr, Getenv: os.Getenv}}
	return e.main(args)
}

func (e *env) main(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.ErrOut, usage())
		return exitUsage
	}
	out := iostreams.NewStdout(e.Out)
	e.Out = out
	var (
		code int
		err  error
	)
	switch cmd, rest := args[0], args[1:]; cmd {
	case "version", "--version":
		if len(rest) > 0 && (rest[0] == "--help" || rest[0] == "-h") {
			writeCommandHelp(e.Out, "version", nil)
			break
		}
		fmt.Fprintln(e.Out, version.Line())
	case "help", "-h", "--help":
		code, err = e.helpCmd(rest)
	default:
		err = e.dispatch(cmd, rest)
		code = e.code
	}
	err = stdoutResult(out, err)
	if errors.Is(err, errHelp) {
		return exitClean
	}
	if err != nil {
		return exitCode(e.ErrOut, err)
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

// registerFlags registers the flags shared by the scanning commands, to be
// parsed into f.
func registerFlags(fs *flag.FlagSet, f *settings.Flags) {
	fs.StringVar(&f.Config, "config", "", "configuration `FILE` (default: .keylint.toml, found from the scanned path up to the repository root)")
	fs.BoolVar(&f.NoConfig, "no-config", false, "ignore .keylint.toml and .gitleaksignore: built-in rules only")
	formats := strings.Replace(report.FormatList(), "compact", "compact (one line per finding)", 1)
	fs.StringVar(&f.Format, "format", "text", "report `FORMAT`: "+formats)
	fs.StringVar(&f.Format, "f", "text", "short for --format")
	fs.StringVar(&f.Output, "output", "", "write the report to `FILE` (created with mode 0600) instead of stdout")
	fs.StringVar(&f.Output, "o", "", "short for --output")
	fs.BoolVar(&f.ShowSecrets, "show-secrets", false, "print secrets whole instead of redacted")
	fs.IntVar(&f.Jobs, "jobs", runtime.NumCPU(), "number of workers, `N`")
	fs.Var((*cliflag.Size)(&f.MaxFileSize), "max-file-size", "skip files larger than `SIZE` (10MiB, 512KiB, 1048576)")
	fs.BoolVar(&f.NoIgnore, "no-ignore", false, "scan files that .gitignore excludes")
	fs.IntVar(&f.ExitCode, "exit-code", exitFindings, "exit code `N` when there are findings")
	fs.StringVar(&f.Color, "color", "auto", "colour `WHEN`: auto, always or never (NO_COLOR is honoured)")
	fs.BoolVar(&f.NoColor, "no-color", false, "same as --color never")
	fs.BoolVar(&f.Quiet, "quiet", false, "no summary on stderr")
	fs.BoolVar(&f.Quiet, "q", false, "short for --quiet")
	fs.BoolVar(&f.Verbose, "verbose", false, "list every warning, silenced finding and stale baseline entry on stderr")
	fs.StringVar(&f.Baseline, "baseline", "", "report only findings not recorded in the baseline `FILE`")
	fs.Func("fail-on", "only findings at or above `SEVERITY` (critical, high, medium, low) fail; lower ones are still reported", func(v string) (err error) {
		f.FailOn, err = rules.ParseSeverity(v)
		return err
	})
	fs.BoolVar(&f.FailOnSkipped, "fail-on-skipped", false, "fail (exit 3) when a file could not be scanned: too large, binary, unreadable")
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
	pos, err := cliflag.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(e.Out, name, fs)
		return nil, nil, errHelp
	}
	if err != nil {
		return nil, nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	return c, pos, nil
}
