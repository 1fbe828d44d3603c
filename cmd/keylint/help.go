package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// cmdDoc is the help of one command: how to call it, what it does, and
// examples. Its flags are listed from the command's flag set, so the help
// never disagrees with what the command accepts.
type cmdDoc struct {
	synopsis []string
	about    string
	examples []string
}

// commands lists keylint's commands in the order the global help shows them.
var commandNames = []string{"scan", "baseline", "git", "merge", "cache", "staged", "hook", "ci", "config", "rules", "version", "help"}

var commandDocs = map[string]cmdDoc{
	"scan": {
		synopsis: []string{"keylint scan [flags] [PATH...]"},
		about: `Scans files and directories (default: the current directory); "-" reads
stdin. Files that .gitignore excludes are skipped unless --no-ignore.
UTF-16 text is decoded; zip (JAR, WAR, wheel) and gzip files are opened;
the printable strings of binary files are scanned for distinctive keys.
The baseline and fail_on settings of .keylint.toml apply, unless the
flags say otherwise.`,
		examples: []string{
			"keylint scan .",
			"keylint scan -f sarif -o keylint.sarif src/ config/",
			"cat app.env | keylint scan -",
		},
	},
	"baseline": {
		synopsis: []string{"keylint baseline [flags] [PATH...]"},
		about: `Records today's findings in a baseline file (no secrets, only
fingerprints), so that later scans report only new ones. The file is
--output, else the baseline named in .keylint.toml, else .keylint-baseline.
Name it in .keylint.toml (baseline = ".keylint-baseline") and every command,
the hooks and keylint ci use it. --prune drops the entries no longer found.`,
		examples: []string{
			"keylint baseline",
			"keylint baseline --prune",
			"keylint baseline -o security/keylint-baseline src/",
		},
	},
	"git": {
		synopsis: []string{"keylint git [flags] [REPO]", "keylint git [flags] --repos FILE [--shard K/N] [--cache DIR] [REPO...]"},
		about:    gitAbout,
		examples: []string{
			"keylint git",
			"keylint git --range origin/main..HEAD",
			"keylint git --since \"2 weeks ago\" -f sarif -o history.sarif",
			"keylint git --repos repos.txt --shard 3/20 --cache ~/.cache/keylint -f json -o shard-3.json",
		},
	},
	"merge": {
		synopsis: []string{"keylint merge [flags] REPORT.json..."},
		about: `Reads keylint json reports (the shards of one audit, or audits of different
days) and writes one report in any format, grouping the findings by rule
and secret exactly as one run over every repository would: merging the
shards of a list gives the report of one run over the whole list. Reports
written with different rules or settings are refused unless
--allow-mixed-rules. The baseline, --fail-on and --exit-code apply to the
merged findings (give the baseline here, not to the shards).`,
		examples: []string{
			"keylint merge shard-*.json -f html -o audit.html",
			"keylint merge shard-*.json -f sarif -o audit.sarif --fail-on high",
		},
	},
	"cache": {
		synopsis: []string{"keylint cache stats|prune [--cache DIR] [--keep N] [--max-age D] [--reset]"},
		about: `Shows or trims the blob cache of keylint git --cache (default directory:
$KEYLINT_CACHE). The cache holds, per generation (one per set of rules and
settings and keylint build), the ids of the blobs scanned clean: no secret,
no fingerprint, no content. prune keeps the --keep most recently used
generations (and those used within --max-age) and compacts the file;
--reset deletes a damaged cache.`,
		examples: []string{
			"keylint cache stats --cache ~/.cache/keylint",
			"keylint cache prune --cache ~/.cache/keylint --keep 2",
		},
	},
	"staged": {
		synopsis: []string{"keylint staged [flags]"},
		about: `Scans the change staged for the next commit, as the pre-commit hook runs
it: only added lines are reported. The text report goes to stderr; nothing
is printed when the change is clean.`,
		examples: []string{
			"keylint staged",
			"keylint staged --fail-on high",
			"keylint staged -f json -o staged.json",
		},
	},
	"hook": {
		synopsis: []string{
			"keylint hook install [--pre-push] [--force]",
			"keylint hook uninstall [--pre-push]",
			"keylint hook run pre-push [REMOTE URL]",
		},
		about: hookAbout,
		examples: []string{
			"keylint hook install",
			"keylint hook install --pre-push",
			"keylint hook uninstall",
		},
	},
	"ci": {
		synopsis: []string{"keylint ci [flags]"},
		about: `Runs inside GitHub Actions: scans the commits of the pull request or push
that triggered the workflow (a full history audit for workflow_dispatch
and schedule), annotates the lines, writes the step summary, the SARIF
report (--sarif) and the step outputs, and fails the check when a secret
was added. For a pull request, the configuration, the baseline and the
.gitleaksignore are read from the base commit: a pull request cannot
silence itself.`,
		examples: []string{
			"keylint ci",
			"keylint ci --sarif results/keylint.sarif --fail-on high",
			"keylint ci --sarif '' --baseline .keylint-baseline",
		},
	},
	"config": {
		synopsis: []string{
			"keylint config [flags] [PATH]",
			"keylint config convert [flags] FILE",
		},
		about: `Prints the effective configuration for PATH (default: the current
directory): the files applied, the rules turned off or changed, the global
allowlists, baseline and fail_on. convert turns a gitleaks configuration
into a .keylint.toml and lists what it could not convert.`,
		examples: []string{
			"keylint config",
			"keylint config convert .gitleaks.toml -o .keylint.toml",
		},
	},
	"rules": {
		synopsis: []string{
			"keylint rules [list] [--format text|json]",
			"keylint rules show ID",
			"keylint rules test FILE",
		},
		about: `list prints the active rules (the built-in ones and the configuration's).
show prints one rule as TOML. test checks every example of the rules in
FILE (a rule file or a whole .keylint.toml, overrides included): each
"matches" example must be found and each "non_matches" example must not.
A rule without examples is a warning.`,
		examples: []string{
			"keylint rules list --format json",
			"keylint rules show github-classic-pat",
			"keylint rules test .keylint.toml",
		},
	},
	"version": {
		synopsis: []string{"keylint version"},
		about:    "Prints the version keylint was built from and its commit.",
		examples: []string{"keylint version"},
	},
	"help": {
		synopsis: []string{"keylint help [COMMAND]"},
		about:    "Prints the list of commands, or the help of one command.",
		examples: []string{"keylint help", "keylint help scan"},
	},
}

// shortFlags maps a long flag name to its one-letter form.
var shortFlags = map[string]string{"quiet": "q", "output": "o", "format": "f"}

// defaultText overrides how a flag's default is shown, where the value is
// the machine's rather than keylint's.
var defaultText = map[string]string{"jobs": "number of CPUs", "max-file-size": "10MiB, or max_file_size in .keylint.toml",
	"fail-on": "low, or fail_on in .keylint.toml", "baseline": "baseline in .keylint.toml, else none"}

// writeCommandHelp prints a command's help: synopsis, description, every
// flag of fs with its default, and examples. fs may be nil.
func writeCommandHelp(w io.Writer, name string, fs *flag.FlagSet) {
	d := commandDocs[name]
	var b strings.Builder
	b.WriteString("Usage:\n")
	for _, s := range d.synopsis {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	fmt.Fprintf(&b, "\n%s\n", d.about)
	if fs != nil {
		b.WriteString("\nFlags:\n")
		writeFlags(&b, fs)
	}
	if len(d.examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, ex := range d.examples {
			fmt.Fprintf(&b, "  %s\n", ex)
		}
	}
	if name != "help" && name != "version" {
		b.WriteString("\nExit codes: 0 no findings, 1 findings, 2 usage or configuration error,\n3 scan error or incomplete scan, 4 report not written, 130 interrupted.\n")
	}
	io.WriteString(w, b.String())
}

// writeFlags lists the flags of fs, long names first with their short
// forms, each with its default when it has one worth saying.
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	type line struct{ name, left, right string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			return // a short form, shown with its long flag
		}
		arg, usage := flag.UnquoteUsage(f)
		if isBool(f) {
			arg = ""
		} else if arg == "value" || arg == "string" {
			arg = "VALUE"
		} else {
			arg = strings.ToUpper(arg)
		}
		left := "    --" + f.Name
		if s, ok := shortFlags[f.Name]; ok && fs.Lookup(s) != nil {
			left = "-" + s + ", --" + f.Name
		}
		if arg != "" {
			left += " " + arg
		}
		def := f.DefValue
		if t, ok := defaultText[f.Name]; ok {
			def = t
		}
		if def != "" && def != "false" && def != "0" && !isBool(f) {
			usage += " (default " + def + ")"
		}
		lines = append(lines, line{f.Name, left, usage})
		width = max(width, len(left))
	})
	sort.SliceStable(lines, func(i, j int) bool {
		return lines[i].name < lines[j].name
	})
	for _, l := range lines {
		fmt.Fprintf(b, "  %-*s  %s\n", width, l.left, l.right)
	}
}

func isBool(f *flag.Flag) bool {
	bf, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && bf.IsBoolFlag()
}

// helpCmd is `keylint help [COMMAND]`.
func (e *env) helpCmd(args []string) (int, error) {
	if len(args) == 0 {
		fmt.Fprint(e.stdout, usage())
		return exitClean, nil
	}
	if len(args) > 1 {
		return 0, usagef("for example: keylint help scan", "keylint help takes one command, got %d", len(args))
	}
	name := args[0]
	switch name {
	case "help", "version":
		writeCommandHelp(e.stdout, name, nil)
		return exitClean, nil
	}
	if _, ok := commandDocs[name]; !ok {
		return 0, unknownCommand(name)
	}
	// Each command prints its own help, with its own flags.
	return exitClean, e.dispatch(name, []string{"--help"})
}

// unknownCommand is the error for a command keylint does not have, with
// the closest one when the name looks like a typo.
func unknownCommand(name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := closest(name, commandNames); len(s) > 0 {
		return usagef("run `keylint help` to list the commands", "%s; did you mean `keylint %s`?", msg, s[0])
	}
	return usagef("run `keylint help` to list the commands", "%s", msg)
}

// closest returns the candidates nearest to word, best first: those within
// a small edit distance, then those that contain word or that word
// contains. At most three.
func closest(word string, cands []string) []string {
	type scored struct {
		s string
		d int
	}
	var hits []scored
	limit := max(1, min(3, len(word)/3))
	for _, c := range cands {
		d := editDistance(word, c)
		switch {
		case d <= limit:
		case strings.Contains(word, "-") && hasAllParts(c, word):
			d = 50 + abs(len(c)-len(word))
		case len(word) >= 3 && (strings.Contains(c, word) || strings.Contains(word, c) && len(c) >= 3):
			d = 100 + abs(len(c)-len(word))
		default:
			continue
		}
		hits = append(hits, scored{c, d})
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].d < hits[j].d })
	var out []string
	for i := 0; i < len(hits) && i < 3; i++ {
		out = append(out, hits[i].s)
	}
	return out
}

// hasAllParts reports whether every dash-separated part of word is a
// part of id (github-pat: github-classic-pat).
func hasAllParts(id, word string) bool {
	parts := map[string]bool{}
	for _, p := range strings.Split(id, "-") {
		parts[p] = true
	}
	for _, p := range strings.Split(word, "-") {
		if !parts[p] {
			return false
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance between a and b; a swap of two
// neighbouring letters (sacn) counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
