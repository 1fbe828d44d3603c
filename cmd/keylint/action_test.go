package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestActionYAML checks that action.yml is a composite action whose every
// used input is declared, every declared input used, and every output
// mapped to an output of one of its steps.
func TestActionYAML(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Name     string `yaml:"name"`
		Branding struct {
			Icon  string `yaml:"icon"`
			Color string `yaml:"color"`
		} `yaml:"branding"`
		Inputs  map[string]struct{ Default *string } `yaml:"inputs"`
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				ID    string            `yaml:"id"`
				Uses  string            `yaml:"uses"`
				Run   string            `yaml:"run"`
				Shell string            `yaml:"shell"`
				Env   map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || action.Name == "" || action.Branding.Icon == "" {
		t.Fatalf("want a named, branded composite action: %+v", action)
	}
	for _, in := range []string{"args", "config", "baseline", "fail-on", "fail-on-skipped", "sarif"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("input %q is not declared", in)
		}
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}`).FindAllStringSubmatch(string(data), -1) {
		used[m[1]] = true
		if _, ok := action.Inputs[m[1]]; !ok {
			t.Errorf("input %q is used but not declared", m[1])
		}
	}
	var declared []string
	for in := range action.Inputs {
		declared = append(declared, in)
		if !used[in] {
			t.Errorf("input %q is declared but never used", in)
		}
	}
	sort.Strings(declared)
	steps := map[string]bool{}
	for _, s := range action.Runs.Steps {
		if s.Run != "" && s.Shell == "" {
			t.Errorf("a run step without shell: composite actions require one")
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("a run script interpolates an expression; pass it through env instead:\n%s", s.Run)
		}
		if s.ID != "" {
			steps[s.ID] = true
		}
	}
	outRe := regexp.MustCompile(`^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$`)
	for name, o := range action.Outputs {
		m := outRe.FindStringSubmatch(o.Value)
		if m == nil || !steps[m[1]] {
			t.Errorf("output %q = %q does not map to a step output", name, o.Value)
			continue
		}
		if m[2] != name {
			t.Errorf("output %q maps to step output %q", name, m[2])
		}
	}
	// keylint ci writes exactly the outputs the action declares.
	for _, name := range []string{"findings", "sarif-file"} {
		if _, ok := action.Outputs[name]; !ok {
			t.Errorf("output %q is not declared", name)
		}
	}
}
