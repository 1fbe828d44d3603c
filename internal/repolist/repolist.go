// Package repolist reads the list of repositories of an organisation audit
// and splits it into shards.
//
// A list is read from a file (one path per line; blank lines and lines
// starting with "#" are ignored) or from command-line arguments. A shard
// is computed from the list alone: the distinct paths are sorted and shard
// K of N keeps every N-th one starting from the K-th, so every machine
// given the same list (in any order) computes the same split, every
// repository is in exactly one shard, and shard sizes differ by at most
// one.
package repolist

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of a list file.
const (
	// MaxLine is the longest line accepted, in bytes.
	MaxLine = 4096
	// MaxRepos is the most repositories one list may name.
	MaxRepos = 1_000_000
)

// Parse reads a repository list: one path per line, surrounding spaces
// and a trailing carriage return removed, blank lines and lines whose
// first non-space character is "#" ignored. name is the list's name for
// error messages. A line too long, a NUL byte, invalid UTF-8 or more than
// [MaxRepos] entries is an error naming the line.
func Parse(r io.Reader, name string) ([]string, error) {
	br := bufio.NewReader(r)
	var out []string
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF && line == nil {
			return out, nil
		}
		if len(bytes.TrimSuffix(line, []byte("\r"))) > MaxLine {
			err = errLong
		}
		if errors.Is(err, errLong) {
			return nil, fmt.Errorf("%s:%d: line longer than %d bytes: give one repository path per line", name, n, MaxLine)
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s := strings.TrimSpace(string(line))
		switch {
		case s == "" || s[0] == '#':
		case strings.IndexByte(s, 0) >= 0:
			return nil, fmt.Errorf("%s:%d: NUL byte in a path: is this a text file with one repository path per line?", name, n)
		case !utf8.ValidString(s):
			return nil, fmt.Errorf("%s:%d: not UTF-8: give one repository path per line", name, n)
		default:
			if len(out) == MaxRepos {
				return nil, fmt.Errorf("%s:%d: more than %d repositories: split the list into several audits", name, n, MaxRepos)
			}
			out = append(out, s)
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

var errLong = errors.New("line too long")

// readLine returns the next line without its newline; at the end of the
// input it returns the last line (or nil) and io.EOF.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > MaxLine+2 { // "\r\n"
			return nil, errLong
		}
		line = append(line, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(line) == 0 {
				return nil, io.EOF
			}
			return line, io.EOF
		case err != nil:
			return nil, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(line) > MaxLine+1 {
			return nil, errLong
		}
		return line, nil
	}
}

// Shard is part K of N of a list (1 <= K <= N). The zero value means the
// whole list.
type Shard struct{ K, N int }

// String returns "K/N".
func (s Shard) String() string { return strconv.Itoa(s.K) + "/" + strconv.Itoa(s.N) }

// IndexEnv is the environment variable of a Kubernetes Indexed Job that
// holds the job's index, 0-based; "--shard auto/N" reads it.
const IndexEnv = "JOB_COMPLETION_INDEX"

// ParseShard parses "K/N" (1 <= K <= N) or "auto/N", which takes K from
// [IndexEnv] (0-based, so K is its value plus one) through getenv.
func ParseShard(spec string, getenv func(string) string) (Shard, error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: write K/N, for example 3/20 for the third of twenty shards (or auto/N to take K from %s)", spec, IndexEnv)
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 || n > MaxRepos {
		return Shard{}, fmt.Errorf("shard %q: N must be a whole number from 1 to %d", spec, MaxRepos)
	}
	if ks == "auto" {
		v := getenv(IndexEnv)
		if v == "" {
			return Shard{}, fmt.Errorf("shard %q: %s is not set (a Kubernetes Indexed Job sets it): give the shard as K/N", spec, IndexEnv)
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= n {
			return Shard{}, fmt.Errorf("shard %q: %s=%q is not an index from 0 to %d: the job's completions must equal N", spec, IndexEnv, v, n-1)
		}
		return Shard{K: i + 1, N: n}, nil
	}
	k, err := strconv.Atoi(ks)
	if err != nil || k < 1 || k > n {
		return Shard{}, fmt.Errorf("shard %q: K must be a whole number from 1 to N (%d); shards count from 1", spec, n)
	}
	return Shard{K: k, N: n}, nil
}

// Select returns the repositories of shard s of list: the distinct paths,
// sorted, keeping those whose index i (0-based) has i mod N == K-1. The
// zero Shard keeps every distinct path. list is not modified.
func Select(list []string, s Shard) []string {
	all := slices.Clone(list)
	slices.Sort(all)
	all = slices.Compact(all)
	if s.N <= 1 {
		return all
	}
	out := make([]string, 0, len(all)/s.N+1)
	for i := s.K - 1; i < len(all); i += s.N {
		out = append(out, all[i])
	}
	return out
}
