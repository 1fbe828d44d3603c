// Package cliflag is keylint's layer over the standard flag package:
// flags before, between or after positional arguments, errors in
// keylint's words with a "did you mean", the help listing of a flag set,
// and the values of --max-file-size and --since/--until.
package cliflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/suggest"
)

// Parse parses flags that may come before, between or after positional
// arguments ("keylint scan . --format json"); "--" ends the flags. A flag
// in an error is named as the user typed it, with the closest known flag
// when it looks like a typo.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
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
		if s := suggest.Closest(f, names); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean --%s?)", s[0])
		}
		return clierr.Usagef(hint, "%s", msg)
	}
	if f, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return clierr.Usagef(hint, "flag %s needs a value", typed(f))
	}
	// invalid value "x" for flag -name: reason
	if i := strings.Index(msg, " for flag -"); i >= 0 {
		rest := msg[i+len(" for flag -"):]
		name, reason, _ := strings.Cut(rest, ": ")
		return clierr.Usagef(hint, "%s %s: %s", typed(name), strings.TrimPrefix(msg[:i], "invalid value "), reason)
	}
	if i := strings.Index(msg, " for -"); i >= 0 {
		rest := msg[i+len(" for -"):]
		name, reason, _ := strings.Cut(rest, ": ")
		return clierr.Usagef(hint, "%s takes no value, or true or false: %s", typed(name), reason)
	}
	return clierr.Usagef(hint, "%s", msg)
}

// WriteHelp lists the flags of fs, long names first with their short
// forms (shortFlags maps a long name to its one-letter form), each with its
// default when it has one worth saying (defaultText overrides how a
// default is shown).
func WriteHelp(b *strings.Builder, fs *flag.FlagSet, shortFlags, defaultText map[string]string) {
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

// Size parses sizes such as 10MiB, 512k, 1GB or a plain byte count
// into an int64.
type Size int64

// String formats the size in bytes.
func (s *Size) String() string { return strconv.FormatInt(int64(*s), 10) }

// Set parses v into the size.
func (s *Size) Set(v string) error {
	n, err := ParseSize(v)
	if err != nil {
		return err
	}
	*s = Size(n)
	return nil
}

// ParseSize parses a size: a byte count, or a number with a unit (k, KiB,
// KB, M, MiB, MB, G, GiB, GB, b).
func ParseSize(v string) (int64, error) {
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

// ParseDate parses a --since or --until value: a date (the start of
// that day for --since, its end for --until, in local time), a date and
// time, RFC 3339, or "N units ago". "" is the zero time.
func ParseDate(v string, now time.Time, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
		if end {
			t = t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	f := strings.Fields(strings.ToLower(v))
	if len(f) == 3 && f[2] == "ago" {
		n, err := strconv.Atoi(f[0])
		if err == nil && n >= 0 {
			switch strings.TrimSuffix(f[1], "s") {
			case "second":
				return now.Add(-time.Duration(n) * time.Second), nil
			case "minute":
				return now.Add(-time.Duration(n) * time.Minute), nil
			case "hour":
				return now.Add(-time.Duration(n) * time.Hour), nil
			case "day":
				return now.AddDate(0, 0, -n), nil
			case "week":
				return now.AddDate(0, 0, -7*n), nil
			case "month":
				return now.AddDate(0, -n, 0), nil
			case "year":
				return now.AddDate(-n, 0, 0), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse date %q", v)
}
