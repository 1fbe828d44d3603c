package gitexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
)

// Runner runs git commands whose output is read as a stream, in one
// directory with one environment.
type Runner struct {
	// Dir is the directory git runs in.
	Dir string
	// Env is added to git's environment (see [Options.Env]).
	Env []string
	// Opts, when set (see [Options.Prepare]), run git without checking the
	// repository again for each command; Env is then ignored for Opts'.
	Opts *Options
}

// Stream runs git with args, feeding it stdin, and hands its stdout to
// read. It returns read's error, else git's failure with its stderr.
func (g Runner) Stream(ctx context.Context, stdin io.Reader, read func(io.Reader) error, args ...string) error {
	p, err := g.Start(ctx, stdin, args...)
	if err != nil {
		return err
	}
	return p.Finish(ctx, read)
}

// Proc is a running git command whose output is still to be read: call
// [Proc.Finish] or [Proc.Kill] exactly once.
type Proc struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	out    io.ReadCloser
	stderr bytes.Buffer
	args   []string
}

// Start starts git with args; [Proc.Finish] reads its output.
func (g Runner) Start(ctx context.Context, stdin io.Reader, args ...string) (*Proc, error) {
	ctx, cancel := context.WithCancel(ctx)
	p := &Proc{cancel: cancel, args: args}
	o := Options{Env: g.Env}
	if g.Opts != nil {
		o = *g.Opts
	}
	p.cmd = o.Command(ctx, g.Dir, args...)
	p.cmd.Stdin = stdin
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	p.out = out
	if err := p.cmd.Start(); err != nil {
		cancel()
		var unsafe *UnsafeRepositoryError
		if errors.As(err, &unsafe) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot run git (is it installed and on PATH?): %w", err)
	}
	return p, nil
}

// Finish hands git's stdout to read and waits for git. It returns ctx's
// error if ctx is done, then read's error, else git's failure (an
// [*Error] with its stderr).
func (p *Proc) Finish(ctx context.Context, read func(io.Reader) error) error {
	defer p.cancel()
	stop := context.AfterFunc(ctx, p.cancel)
	defer stop()
	rerr := read(p.out)
	if rerr != nil {
		p.cancel() // git may still be writing: stop it
	} else {
		_, _ = io.Copy(io.Discard, p.out)
	}
	werr := p.cmd.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if werr != nil && (rerr == nil || p.stderr.Len() > 0) {
		return &Error{Args: p.args, Stderr: p.stderr.String(), Err: werr}
	}
	return rerr
}

// Kill stops git without reading its output.
func (p *Proc) Kill() {
	p.cancel()
	_ = p.cmd.Wait()
}
