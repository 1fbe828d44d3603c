package gittest

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// CatFileFloor runs `git cat-file --batch-all-objects --batch --unordered`
// on dir once per benchmark iteration, output discarded: the floor every
// history scan is compared with. It returns the CPU time git used in all.
func CatFileFloor(b *testing.B, dir string) time.Duration {
	b.Helper()
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	var cpu time.Duration
	for b.Loop() {
		cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch", "--unordered")
		cmd.Dir, cmd.Stdout = dir, devnull
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return cpu
}
