// Package ghevent reads what keylint needs from a GitHub Actions run: the
// environment (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE, ...)
// and the event payload, and turns them into the commit range to scan.
package ghevent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
)

// Kind says what a run must scan.
type Kind int

// The kinds of scan an event asks for.
const (
	// Range scans the commits reachable from Head and not from Base
	// (pull requests, pushes to an existing branch).
	Range Kind = iota
	// NewBranch scans the commits of Head that are on no other branch
	// (the first push of a branch).
	NewBranch
	// Full audits the whole history (workflow_dispatch, schedule).
	Full
	// Nothing: a branch deletion pushes no commit.
	Nothing
)

// Event is what keylint takes from a GitHub event payload.
type Event struct {
	Name string
	Kind Kind
	// Base and Head are commit ids: for a pull request, its base and head;
	// for a push, before and after. Base is empty for NewBranch and Full.
	Base, Head string
	// Forced is set for a forced push: Base may no longer be an ancestor.
	Forced bool
	// DefaultBranch is the repository's default branch, when the payload
	// says it.
	DefaultBranch string
	// PullRequest is the pull request number, 0 for other events.
	PullRequest int
}

// Compiled on first use: a pre-commit hook should not compile it at start-up.
var shaRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`) })

const zeroSHA = "0000000000000000000000000000000000000000"

// payload is the part of the event JSON keylint reads.
type payload struct {
	Before      string `json:"before"`
	After       string `json:"after"`
	Created     bool   `json:"created"`
	Deleted     bool   `json:"deleted"`
	Forced      bool   `json:"forced"`
	Number      int    `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"head"`
	} `json:"pull_request"`
	Repository struct {
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
}

// maxPayload bounds how much of an event file is read.
const maxPayload = 32 << 20

// Parse reads an event payload for the named event.
func Parse(name string, r io.Reader) (*Event, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("reading the event payload: %w", err)
	}
	if len(data) > maxPayload {
		return nil, errors.New("the event payload is larger than 32 MiB")
	}
	var p payload
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("the event payload is not valid JSON: %w", err)
	}
	ev := &Event{Name: name, DefaultBranch: p.Repository.DefaultBranch}
	switch name {
	case "pull_request", "pull_request_target":
		if p.PullRequest == nil {
			return nil, fmt.Errorf("the %s payload has no pull_request object", name)
		}
		ev.Kind, ev.Base, ev.Head, ev.PullRequest = Range, p.PullRequest.Base.SHA, p.PullRequest.Head.SHA, p.PullRequest.Number
		if err := checkSHA("pull_request.base.sha", ev.Base); err != nil {
			return nil, err
		}
		if err := checkSHA("pull_request.head.sha", ev.Head); err != nil {
			return nil, err
		}
	case "push":
		ev.Head, ev.Forced = p.After, p.Forced
		switch {
		case p.Deleted || p.After == zeroSHA:
			ev.Kind, ev.Head = Nothing, ""
			return ev, nil
		case p.Created || p.Before == zeroSHA || p.Before == "":
			ev.Kind = NewBranch
		default:
			ev.Kind, ev.Base = Range, p.Before
			if err := checkSHA("before", ev.Base); err != nil {
				return nil, err
			}
		}
		if err := checkSHA("after", ev.Head); err != nil {
			return nil, err
		}
	case "workflow_dispatch", "schedule":
		ev.Kind = Full
	default:
		return nil, fmt.Errorf("keylint ci does not handle %q events (it handles pull_request, pull_request_target, push, workflow_dispatch and schedule)", name)
	}
	return ev, nil
}

func checkSHA(field, v string) error {
	if !shaRe().MatchString(strings.ToLower(v)) {
		return fmt.Errorf("the event payload's %s is not a commit id: %q", field, v)
	}
	return nil
}
