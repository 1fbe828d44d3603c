// Package hooks installs and uninstalls keylint's git hooks and reads
// what git hands them.
//
// [Install] writes a short POSIX shell script into the directory git runs
// hooks from (core.hooksPath when set, else the common git directory's
// hooks folder, so linked worktrees and submodules are covered). The
// script records the absolute path of keylint at install time, falls back
// to PATH (GUI git clients often run hooks with a reduced PATH), and fails
// closed with a clear message when keylint cannot be found. It holds no
// scanning logic: it execs `keylint staged` (pre-commit) or
// `keylint hook run pre-push`.
//
// A hook that is already there is never lost: it is kept next to the
// script (as NAME.keylint-previous) and run first, with the same arguments
// and input, unless [Options.Force] asks for it to be replaced. [Uninstall]
// puts it back exactly as it was.
//
// [ParsePrePush] reads the lines git writes to a pre-push hook's stdin.
package hooks
