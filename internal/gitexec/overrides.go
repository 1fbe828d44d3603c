package gitexec

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// staticOverrides neutralise the fixed configuration keys that can make a
// git command keylint runs start a program, read a file of the
// repository's choosing, or write anything. They are given on every
// command, whether the key is configured or not, so that nothing depends
// on the configuration listing having seen a key.
var staticOverrides = [][2]string{
	// Programs.
	{"core.fsmonitor", "false"},
	{"core.hooksPath", "/dev/null"},
	{"core.pager", "cat"},
	{"core.editor", ":"},
	{"sequence.editor", ":"},
	{"core.sshCommand", "false"},
	{"core.askPass", ""},
	{"credential.helper", ""},
	{"diff.external", ""},
	{"log.showSignature", "false"},
	{"gpg.program", ""},
	{"gpg.openpgp.program", ""},
	{"gpg.x509.program", ""},
	{"gpg.ssh.program", ""},
	{"gpg.ssh.defaultKeyCommand", ""},
	{"protocol.allow", "never"},
	{"http.proxy", ""},
	{"status.submoduleSummary", "false"},
	// Files read in place of the repository's own.
	{"core.attributesFile", "/dev/null"},
	{"core.excludesFile", "/dev/null"},
	{"diff.orderFile", "/dev/null"},
	{"blame.ignoreRevsFile", ""},
	{"mailmap.file", "/dev/null"},
	{"mailmap.blob", ""},
	{"log.mailmap", "false"},
	{"gpg.ssh.allowedSignersFile", "/dev/null"},
	{"gpg.ssh.revocationFile", "/dev/null"},
	// Writes and background work a read must not start.
	{"core.untrackedCache", "false"},
	{"gc.auto", "0"},
	{"maintenance.auto", "false"},
}

// neutralEnv names the environment variables that carry override values
// for keys that cannot be given with -c (a name holding "="): git reads
// them through --config-env. [Options.Command] always sets them.
var neutralEnv = [][2]string{
	{"KEYLINT_GIT_EMPTY", ""},
	{"KEYLINT_GIT_FALSE", "false"},
	{"KEYLINT_GIT_NEVER", "never"},
	{"KEYLINT_GIT_DEVNULL", "/dev/null"},
	{"KEYLINT_GIT_UPLOAD_PACK", "git-upload-pack"},
	{"KEYLINT_GIT_RECEIVE_PACK", "git-receive-pack"},
}

// neutralVar returns the variable of neutralEnv holding value.
func neutralVar(value string) string {
	for _, kv := range neutralEnv {
		if kv[1] == value {
			return kv[0]
		}
	}
	panic("gitexec: no variable for the override value " + strconv.Quote(value))
}

// splitKey splits a configuration key into its section and variable name,
// lower-cased as git compares them, and its subsection, kept as it is
// (git compares subsections case-sensitively). ok is false when name is
// not a key.
func splitKey(name string) (section, sub, variable string, ok bool) {
	first := strings.IndexByte(name, '.')
	last := strings.LastIndexByte(name, '.')
	if first <= 0 || last == len(name)-1 {
		return "", "", "", false
	}
	section = strings.ToLower(name[:first])
	variable = strings.ToLower(name[last+1:])
	if first != last {
		sub = name[first+1 : last]
	}
	return section, sub, variable, true
}

// dynamicOverride returns the value that neutralises one configured key
// whose name has a part chosen by the configuration (a driver, a URL, a
// command), or ok=false when the key needs none. Keys with a fixed name are
// in [staticOverrides].
//
// Keys left alone on purpose:
//   - url.<base>.insteadOf and pushInsteadOf: a command-line value adds a
//     rewrite and cannot remove one; every transport is refused instead
//     (protocol.allow=never and every protocol.<name>.allow).
//   - alias.*: git expands an alias only for a name that is not a git
//     command, and keylint runs only git's own commands.
//   - difftool, mergetool, man, browser, guitool, sendemail, imap: read only
//     by git commands keylint never runs.
//   - include.path and includeIf.<condition>.path: a command-line value
//     cannot stop an include; [checkIncludes] checks every file they reach.
func dynamicOverride(section, sub, variable string) (string, bool) {
	switch section {
	case "pager":
		// pager.<command> (no subsection: the variable is the command).
		return "false", true
	case "diff":
		if sub != "" && (variable == "textconv" || variable == "command") {
			return "", true
		}
	case "filter":
		switch variable {
		case "clean", "smudge", "process":
			return "", true
		case "required":
			return "false", true
		}
	case "merge":
		if sub != "" && variable == "driver" {
			return "", true
		}
	case "credential":
		if sub != "" && variable == "helper" {
			return "", true
		}
	case "gpg":
		if sub != "" && (strings.HasSuffix(variable, "program") || variable == "defaultkeycommand") {
			return "", true
		}
		if variable == "allowedsignersfile" || variable == "revocationfile" {
			return "/dev/null", true
		}
	case "protocol":
		if variable == "allow" {
			return "never", true
		}
	case "remote":
		switch variable {
		case "uploadpack":
			return "git-upload-pack", true
		case "receivepack":
			return "git-receive-pack", true
		case "proxy":
			return "", true
		}
	case "http":
		switch variable {
		case "proxy", "cookiefile", "sslcert", "sslkey", "sslcainfo", "sslcapath",
			"proxysslcert", "proxysslkey", "proxysslcainfo":
			return "", true
		}
	}
	return "", false
}

// Overrides returns the arguments that make git ignore every setting in
// names (configured keys, as `git config --list --name-only` prints them)
// that could run a program or redirect a read: the fixed overrides first,
// then one for each configured key whose name is partly chosen by the
// configuration (diff.<driver>.textconv, filter.<driver>.clean,
// credential.<url>.helper ...), in sorted order without duplicates.
//
// A key whose name contains "=" cannot be given with -c (git splits at the
// first "="): it is given as --config-env=<name>=<variable>, where the
// variable is one of those [Options.Command] sets (git 2.31 or later; an
// older git rejects the option and runs nothing).
func Overrides(names []string) []string {
	out := make([]string, 0, 2*len(staticOverrides)+4)
	for _, kv := range staticOverrides {
		out = append(out, "-c", kv[0]+"="+kv[1])
	}
	seen := map[string]bool{}
	var dyn []string // configured keys that need an override
	for _, name := range names {
		if seen[name] || strings.ContainsAny(name, "\x00\n") {
			continue
		}
		seen[name] = true
		if isStatic(name) {
			continue
		}
		if section, sub, variable, ok := splitKey(name); ok {
			if _, ok := dynamicOverride(section, sub, variable); ok {
				dyn = append(dyn, name)
			}
		}
	}
	sort.Strings(dyn)
	for _, name := range dyn {
		section, sub, variable, _ := splitKey(name)
		value, _ := dynamicOverride(section, sub, variable)
		if strings.Contains(name, "=") {
			out = append(out, "--config-env="+name+"="+neutralVar(value))
		} else {
			out = append(out, "-c", name+"="+value)
		}
	}
	return out
}

// isStatic reports whether name is one of [staticOverrides], as git
// compares keys.
func isStatic(name string) bool {
	section, sub, variable, ok := splitKey(name)
	if !ok {
		return false
	}
	for _, kv := range staticOverrides {
		s, b, v, _ := splitKey(kv[0])
		if s == section && b == sub && v == variable {
			return true
		}
	}
	return false
}

// ConfigEntry is one setting as `git config --list -z` prints it.
type ConfigEntry struct {
	// Origin is where git read the setting ("file:<path>", "command line:"
	// ...), with --show-origin; "" without.
	Origin string
	// Name is the key: section and variable lower-cased, the subsection as
	// written.
	Name string
	// Value is the value; HasValue is false for a key given without "="
	// (a boolean true).
	Value    string
	HasValue bool
}

// errConfigList is the error of a malformed configuration listing.
var errConfigList = errors.New("malformed git config listing")

// ParseConfigList parses the output of `git config --list -z` (with
// origins set when git ran with --show-origin): NUL-terminated records,
// each "<name>" or "<name>\n<value>", each preceded with --show-origin by
// a record naming its origin.
func ParseConfigList(data []byte, origins bool) ([]ConfigEntry, error) {
	if len(data) == 0 {
		return nil, nil
	}
	if data[len(data)-1] != 0 {
		return nil, fmt.Errorf("%w: the last record does not end with NUL", errConfigList)
	}
	recs := bytes.Split(data[:len(data)-1], []byte{0})
	if origins && len(recs)%2 != 0 {
		return nil, fmt.Errorf("%w: an origin without a setting", errConfigList)
	}
	step := 1
	if origins {
		step = 2
	}
	out := make([]ConfigEntry, 0, len(recs)/step)
	for i := 0; i < len(recs); i += step {
		var e ConfigEntry
		rec := recs[i]
		if origins {
			e.Origin = string(rec)
			rec = recs[i+1]
		}
		name, value, hasValue := bytes.Cut(rec, []byte{'\n'})
		if _, _, _, ok := splitKey(string(name)); !ok {
			return nil, fmt.Errorf("%w: %q is not a configuration key", errConfigList, name)
		}
		e.Name, e.Value, e.HasValue = string(name), string(value), hasValue
		out = append(out, e)
	}
	return out, nil
}

// ParseConfigNames parses the output of `git config --list --name-only -z`:
// one NUL-terminated key per record.
func ParseConfigNames(data []byte) ([]string, error) {
	if len(data) == 0 {
		return nil, nil
	}
	if data[len(data)-1] != 0 {
		return nil, fmt.Errorf("%w: the last record does not end with NUL", errConfigList)
	}
	var out []string
	for _, rec := range bytes.Split(data[:len(data)-1], []byte{0}) {
		if bytes.IndexByte(rec, '\n') >= 0 {
			return nil, fmt.Errorf("%w: %q holds a value (want --name-only)", errConfigList, rec)
		}
		if _, _, _, ok := splitKey(string(rec)); !ok {
			return nil, fmt.Errorf("%w: %q is not a configuration key", errConfigList, rec)
		}
		out = append(out, string(rec))
	}
	return out, nil
}
