package ghevent

import (
	"bytes"
	"context"
	"errors"
	"strings"

	"github.com/keylint/keylint/internal/clierr"
	"github.com/keylint/keylint/internal/gitexec"
	"github.com/keylint/keylint/internal/trust"
)

// FromEnv reads the event that triggered the GitHub Actions workflow
// (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH) through getenv. Outside GitHub
// Actions, or with an event it cannot read, it returns a usage error.
func FromEnv(ctx context.Context, getenv func(string) string) (*Event, error) {
	if getenv("GITHUB_ACTIONS") != "true" {
		return nil, clierr.Usagef("outside GitHub Actions, use `keylint git`, `keylint staged` or `keylint scan`", "keylint ci runs inside GitHub Actions (GITHUB_ACTIONS is not \"true\")")
	}
	name, path := getenv("GITHUB_EVENT_NAME"), getenv("GITHUB_EVENT_PATH")
	if name == "" || path == "" {
		return nil, clierr.Usagef("run keylint ci as a step of a GitHub Actions workflow", "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set")
	}
	payload, err := trust.ReadFile(ctx, path)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, clierr.Usagef("run keylint ci as a step of a GitHub Actions workflow", "cannot read the event payload: %v", err)
	}
	ev, err := Parse(name, bytes.NewReader(payload))
	if err != nil {
		return nil, clierr.Usagef("keylint ci handles pull_request, pull_request_target, push, workflow_dispatch and schedule events", "%v", err)
	}
	return ev, nil
}

// Revisions are the commits to scan for an event: those reachable from
// Include and not from Exclude (nor, with ExcludeRemotes, from any
// remote-tracking ref).
type Revisions struct {
	Include, Exclude []string
	ExcludeRemotes   bool
}

// Revisions says which commits of the clone at dir the event adds: a pull
// request's or push's range, a new branch's commits not on the default
// branch, and for a forced push whose old tip the clone lacks, what is not
// on the default branch.
func (ev *Event) Revisions(ctx context.Context, dir string) Revisions {
	r := Revisions{Include: []string{ev.Head}}
	switch ev.Kind {
	case Range:
		r.Exclude = []string{ev.Base}
	case NewBranch:
		if ev.DefaultBranch != "" {
			r.Exclude = []string{"refs/remotes/origin/" + ev.DefaultBranch}
		} else {
			r.ExcludeRemotes = true
		}
	}
	if ev.Forced && ev.Kind == Range && !HasCommit(ctx, dir, ev.Base) && ev.DefaultBranch != "" {
		// The rewritten history's old tip is gone from the clone: scan what
		// is not on the default branch, as for a new branch.
		r.Exclude = []string{"refs/remotes/origin/" + ev.DefaultBranch}
	}
	return r
}

// HasCommit reports whether the clone at dir holds the commit sha.
func HasCommit(ctx context.Context, dir, sha string) bool {
	_, err := gitexec.Output(ctx, dir, "cat-file", "-e", sha+"^{commit}")
	return err == nil
}

// CheckClone checks that dir is a clone holding the commits the event
// names, and says how to fix the checkout when it is not (a usage error).
func (ev *Event) CheckClone(ctx context.Context, dir string) error {
	if _, err := gitexec.Output(ctx, dir, "rev-parse", "--git-dir"); err != nil {
		var unsafe *gitexec.UnsafeRepositoryError
		if errors.Is(err, context.Canceled) || errors.As(err, &unsafe) {
			return err
		}
		return clierr.Usagef("check out the repository first (actions/checkout) and run keylint ci in it", "%s is not a git repository", dir)
	}
	if ev.Kind == Full {
		return nil
	}
	for _, c := range []struct{ what, sha string }{{"head", ev.Head}, {"base", ev.Base}} {
		if c.sha == "" || (c.what == "base" && ev.Forced) || HasCommit(ctx, dir, c.sha) {
			continue
		}
		shallow, _ := gitexec.Output(ctx, dir, "rev-parse", "--is-shallow-repository")
		why := "is not in the clone"
		if strings.TrimSpace(string(shallow)) == "true" {
			why = "is not in the clone, which is shallow"
		}
		return clierr.Usagef("set `fetch-depth: 0` in the actions/checkout step (with: fetch-depth: 0), so the clone holds the whole history of the pull request",
			"the %s commit %s %s: keylint will not scan less than the change", c.what, c.sha[:12], why)
	}
	return nil
}
