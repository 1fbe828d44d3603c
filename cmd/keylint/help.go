package main

import (
	"embed"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/cliflag"
	"github.com/keylint/keylint/internal/suggest"
)

// helpFiles hold each command's help (help/COMMAND.txt: synopsis,
// description and examples, with {{flags}} where its flags are listed,
// from the command's flag set, so the help never disagrees with what the
// command accepts) and the longer messages keylint prints.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText returns the embedded file help/NAME.txt; "" when there is none.
func helpText(name string) string {
	data, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		return ""
	}
	return string(data)
}

// commandNames lists keylint's commands in the order the global help shows them.
var commandNames = []string{"scan", "baseline", "git", "merge", "cache", "staged", "hook", "ci", "config", "rules", "version", "help"}

// shortFlags maps a long flag name to its one-letter form.
var shortFlags = map[string]string{"quiet": "q", "output": "o", "format": "f"}

// defaultText overrides how a flag's default is shown, where the value is
// the machine's rather than keylint's.
var defaultText = map[string]string{"jobs": "number of CPUs", "max-file-size": "10MiB, or max_file_size in .keylint.toml",
	"fail-on": "low, or fail_on in .keylint.toml", "baseline": "baseline in .keylint.toml, else none"}

// writeCommandHelp prints a command's help: synopsis, description, every
// flag of fs with its default, and examples. fs may be nil.
func writeCommandHelp(w io.Writer, name string, fs *flag.FlagSet) {
	var flags strings.Builder
	if fs != nil {
		flags.WriteString("\nFlags:\n")
		cliflag.WriteHelp(&flags, fs, shortFlags, defaultText)
	}
	text := strings.Replace(helpText(name), "{{flags}}", flags.String(), 1)
	if name != "help" && name != "version" {
		text += "\nExit codes: 0 no findings, 1 findings, 2 usage or configuration error,\n3 scan error or incomplete scan, 4 report not written, 130 interrupted.\n"
	}
	io.WriteString(w, text)
}

// helpCmd is `keylint help [COMMAND]`.
func (e *env) helpCmd(args []string) (int, error) {
	if len(args) == 0 {
		fmt.Fprint(e.Out, usage())
		return exitClean, nil
	}
	if len(args) > 1 {
		return 0, clierr.Usagef("for example: keylint help scan", "keylint help takes one command, got %d", len(args))
	}
	name := args[0]
	switch name {
	case "help", "version":
		writeCommandHelp(e.Out, name, nil)
		return exitClean, nil
	}
	if !slices.Contains(commandNames, name) {
		return 0, unknownCommand(name)
	}
	// Each command prints its own help, with its own flags.
	return exitClean, e.dispatch(name, []string{"--help"})
}

// unknownCommand is the error for a command keylint does not have, with
// the closest one when the name looks like a typo.
func unknownCommand(name string) error {
	return clierr.Usagef("run `keylint help` to list the commands", "%s", suggest.Unknown("command", name, commandNames, "keylint "))
}
