// Command ruletest validates a rule file and runs its examples.
// Usage: go run ./internal/ruletest FILE...
package main

import (
	"fmt"
	"os"

	"github.com/keylint/keylint/rules"
)

func main() {
	bad := 0
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		f, err := rules.Parse(path, data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		def, err := rules.Default()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		// The fragment's rules on top of the default set's global allowlists.
		rs := def.Only()
		if err := rs.Apply(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fails := rules.CheckExamples(rs, 2)
		for _, fl := range fails {
			fmt.Println(path + ": " + fl.Error())
		}
		bad += len(fails)
		fmt.Printf("%s: %d rules, %d failures\n", path, len(rs.Rules()), len(fails))
	}
	if bad > 0 {
		os.Exit(1)
	}
}
