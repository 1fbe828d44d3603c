package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// actionStep is a step of action.yml or of a workflow job.
type actionStep struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func readActionSteps(t *testing.T) []actionStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Runs struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a.Runs.Steps
}

// TestActionUsesReleaseOrCachedBuild: the action downloads the released
// binary when one matches its ref, and builds from source only otherwise,
// with the Go build cache on.
func TestActionUsesReleaseOrCachedBuild(t *testing.T) {
	steps := readActionSteps(t)
	var release, setup, build *actionStep
	for i := range steps {
		s := &steps[i]
		switch {
		case s.ID == "release":
			release = s
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			setup = s
		case strings.Contains(s.Run, "go build"):
			build = s
		}
	}
	if release == nil || setup == nil || build == nil {
		t.Fatalf("want a release step (id: release), a setup-go step and a build step: %+v", steps)
	}
	const notFound = "steps.release.outputs.found != 'true'"
	if setup.If != notFound || build.If != notFound {
		t.Errorf("setup-go and the build must run only without a released binary: %q, %q", setup.If, build.If)
	}
	if setup.With["cache"] == "false" || setup.With["cache-dependency-path"] == "" {
		t.Errorf("the source build must use the Go build cache: %v", setup.With)
	}
	for _, w := range []string{"checksums.txt", "sha256sum", "keylint-$os-$arch"} {
		if !strings.Contains(release.Run, w) {
			t.Errorf("the release step lacks %q", w)
		}
	}
}

// TestActionReleaseDownload runs the action's download step with bash and
// curl against a local "release": a matching binary is installed, a
// tampered one fails the step, and a missing one or a ref that is not a
// release tag falls back to the source build.
func TestActionReleaseDownload(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	var script string
	for _, s := range readActionSteps(t) {
		if s.ID == "release" {
			script = s.Run
		}
	}
	binary := []byte("#!/bin/sh\necho keylint v1.2.3\n")
	sum := sha256.Sum256(binary)
	good := hex.EncodeToString(sum[:]) + "  keylint-linux-amd64\n"
	for _, tc := range []struct {
		name, ref, checksums string
		asset                bool
		wantCode             int
		wantFound            string
	}{
		{"matching release", "v1.2.3", good, true, 0, "found=true"},
		{"the moving major tag", "v1", good, true, 0, "found=true"},
		{"tampered binary", "v1.2.3", strings.Repeat("0", 64) + "  keylint-linux-amd64\n", true, 1, ""},
		{"asset not in checksums", "v1.2.3", "", true, 1, ""},
		{"no release for the ref", "v9.9.9", good, false, 0, "found=false"},
		{"a branch", "main", good, true, 0, "found=false"},
		{"no ref", "", good, true, 0, "found=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rel := t.TempDir()
			if tc.ref != "" && tc.asset {
				write(t, filepath.Join(rel, tc.ref, "keylint-linux-amd64"), string(binary))
				write(t, filepath.Join(rel, tc.ref, "checksums.txt"), tc.checksums+"abc  keylint-darwin-arm64\n")
			}
			tmp := t.TempDir()
			out := filepath.Join(tmp, "output")
			cmd := exec.Command("bash", "-c", script)
			cmd.Env = append(os.Environ(), "ACTION_REF="+tc.ref, "ACTION_REPOSITORY=keylint/keylint", "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
				"RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+out, "KEYLINT_RELEASE_BASE=file://"+rel)
			b, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tc.wantCode, b)
			}
			got, _ := os.ReadFile(out)
			if strings.TrimSpace(string(got)) != tc.wantFound {
				t.Errorf("outputs %q, want %q\n%s", got, tc.wantFound, b)
			}
			_, statErr := os.Stat(filepath.Join(tmp, "keylint"))
			if installed := statErr == nil; installed != (tc.wantFound == "found=true") {
				t.Errorf("binary installed: %v\n%s", installed, b)
			}
		})
	}
}

// TestReleaseWorkflow: the release workflow builds the binaries the action
// downloads, for Linux, macOS and Windows, and checksums them.
func TestReleaseWorkflow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Push struct {
				Tags []string `yaml:"tags"`
			} `yaml:"push"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if len(wf.On.Push.Tags) == 0 {
		t.Fatal("the release workflow must run on version tags")
	}
	var all strings.Builder
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			all.WriteString(s.Run + "\n")
		}
	}
	run := all.String()
	for _, target := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64"} {
		if !strings.Contains(run, target) {
			t.Errorf("no %s binary", target)
		}
	}
	// The names the workflow writes are the names the action downloads.
	if !strings.Contains(run, `out="dist/keylint-$os-$arch"`) || !strings.Contains(run, "sha256sum keylint-* > checksums.txt") {
		t.Errorf("the assets must be keylint-OS-ARCH[.exe] with a checksums.txt")
	}
	for _, w := range []string{"go build -trimpath", "CGO_ENABLED=0", "gh release create", `git tag -f "$major"`, "CHANGELOG.md"} {
		if !strings.Contains(run, w) {
			t.Errorf("the release workflow lacks %q", w)
		}
	}
	// Every version the CHANGELOG names has a section the notes step finds.
	cl, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	heads := regexp.MustCompile(`(?m)^## .*$`).FindAllString(string(cl), -1)
	if len(heads) == 0 {
		t.Fatal("CHANGELOG.md has no sections")
	}
	section := regexp.MustCompile(`^## \[(Unreleased|\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?)\]( - \d{4}-\d{2}-\d{2})?$`)
	for _, h := range heads {
		if !section.MatchString(h) {
			t.Errorf("CHANGELOG.md: %q is not \"## [Unreleased]\" or \"## [1.2.3] - YYYY-MM-DD\"", h)
		}
	}
}
