package scanner

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// endless yields items until the context ends, cancelling it after n.
type endless struct {
	n      int
	cancel context.CancelFunc
	served atomic.Int64
}

func (e *endless) Items(ctx context.Context, yield func(Item) error) error {
	for i := 0; ; i++ {
		if i == e.n {
			e.cancel()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		e.served.Add(1)
		if err := yield(Item{Path: "x", Size: -1, Read: func(dst []byte, _ int64) ([]byte, error) {
			time.Sleep(time.Millisecond)
			return append(dst, strings.Repeat("filler ", 100)...), nil
		}}); err != nil {
			return err
		}
	}
}

// TestNoGoroutinesLeftAfterCancel: a cancelled scan returns promptly and
// leaves no worker behind.
func TestNoGoroutinesLeftAfterCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &endless{n: 50, cancel: cancel}
	_, err := newTestScanner(t, Options{Workers: 4}).Scan(ctx, src)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := src.served.Load(); n > 60 {
		t.Errorf("the source served %d items after cancellation at 50", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left (was %d):\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
