package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/keylint/keylint/console"
	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/config"
	"github.com/keylint/keylint/internal/outfile"
	"github.com/keylint/keylint/internal/settings"
	"github.com/keylint/keylint/internal/suggest"
)

// configCmd prints the effective configuration, or converts a gitleaks
// configuration into keylint's format.
func (e *env) configCmd(args []string) (int, error) {
	f, pos, err := e.parseCommand("config", args, nil)
	if err != nil {
		return 0, err
	}
	if len(pos) > 0 && pos[0] == "convert" {
		if len(pos) != 2 {
			return 0, clierr.Usagef("for example: keylint config convert .gitleaks.toml --output .keylint.toml", "usage: keylint config convert FILE")
		}
		return e.convertConfig(f, pos[1])
	}
	if len(pos) > 1 {
		if s := suggest.Closest(pos[0], []string{"convert"}); len(s) > 0 {
			return 0, clierr.Usagef("run `keylint config [PATH]` or `keylint config convert FILE`", "unknown config subcommand %q; did you mean `keylint config %s`?", pos[0], s[0])
		}
		return 0, clierr.Usagef("run `keylint config [PATH]` or `keylint config convert FILE`", "too many arguments")
	}
	start := "."
	if len(pos) == 1 {
		start = pos[0]
		if _, err := os.Stat(start); errors.Is(err, fs.ErrNotExist) {
			return 0, clierr.Usagef("check the path: keylint config path/to/project", "%s does not exist", start)
		}
	}
	l, err := config.LoadContext(e.ctx, config.Options{Path: f.Config, Disabled: f.NoConfig, Start: start})
	if err != nil {
		return 0, err
	}
	var b bytes.Buffer
	if err := console.EffectiveConfig(&b, l); err != nil {
		return 0, err
	}
	_, err = e.Out.Write(b.Bytes())
	return exitClean, err
}

// convertConfig writes the keylint equivalent of a gitleaks configuration
// and lists, on stderr, what could not be converted.
func (e *env) convertConfig(flags *settings.Flags, path string) (int, error) {
	f, unsupported, err := config.Convert(e.ctx, path)
	if err != nil {
		return 0, err
	}
	console.NotConverted(e.ErrOut, path, unsupported)
	write := func(w io.Writer) error { return console.Converted(w, path, f) }
	if flags.Output == "" {
		return exitClean, write(e.Out)
	}
	if err := outfile.Write(e.ctx, flags.Output, write); err != nil {
		return 0, err
	}
	if !flags.Quiet {
		console.ConvertedTo(e.ErrOut, flags.Output, len(f.Rules), len(unsupported))
	}
	return exitClean, nil
}
