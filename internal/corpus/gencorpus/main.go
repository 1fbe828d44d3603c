// Command gencorpus writes the deterministic benchmark tree used for
// keylint's scan figures: real Go source from the Go toolchain mixed with
// synthetic configuration files holding planted fake credentials.
//
//	go run ./internal/corpus/gencorpus -out /tmp/keylint-corpus -files 20000 -mb 200
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/keylint/keylint/internal/corpus"
)

func main() {
	out := flag.String("out", "", "directory to create (must not exist)")
	files := flag.Int("files", 20000, "number of files")
	mb := flag.Int("mb", 200, "total size in MB (10^6 bytes)")
	every := flag.Int("secret-every", 256<<10, "plant a fake credential about every N bytes of synthetic text (0: none)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" || *files < 1 || *mb < 1 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -out DIR [-files N] [-mb N] [-secret-every N] [-seed N]")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "gencorpus: %s exists; remove it or choose another -out\n", *out)
		os.Exit(2)
	}
	src, err := corpus.GoSrc()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	st, err := corpus.WriteTree(*out, src, *files, int64(*mb)*1000*1000, *every, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d files, %d bytes under %s\n", st.Files, st.Bytes, *out)
}
