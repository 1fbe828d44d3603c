// Command keylint finds secrets (API keys, tokens, private keys, passwords)
// in files, git history, staged changes and pull requests.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// hookHeap is how far a hook's heap may grow before the collector runs.
const hookHeap = 256 << 20

func main() {
	if shortLived(os.Args[1:]) && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// A hook lives for milliseconds and scans one change: collecting
		// garbage as it goes costs it a quarter of its run time and frees
		// memory the process is about to give back anyway. The collector
		// still runs if the heap nears hookHeap.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(hookHeap)
	}
	// A write to a pipe whose reader went away returns EPIPE instead of
	// killing the process, so that stdoutWriter handles it (quietly) and
	// keylint exits with its own code. The signal itself is ignored.
	// Notify, unlike signal.Ignore, is not inherited by git subprocesses.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// shortLived reports whether args run a git hook's scan: `keylint staged`
// or `keylint hook run ...`.
func shortLived(args []string) bool {
	return len(args) > 0 && (args[0] == "staged" || len(args) > 1 && args[0] == "hook" && args[1] == "run")
}
