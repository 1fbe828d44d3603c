package rules

import "testing"

// FuzzContextChecks runs every context-aware check of the generic rules on
// an arbitrary value, name and match (the match need not contain either):
// none may panic or recurse without end, and each gives the same verdict
// as its detailed reason for --explain.
func FuzzContextChecks(f *testing.F) {
	f.Add("welcome1", "ADMIN_PASSWORD", `os.environ.get('ADMIN_PASSWORD', 'welcome1'`)
	f.Add("Qmbd5#3DU]pW8a=CKTK}", "password", "password: Qmbd5#3DU]pW8a=CKTK}")
	f.Add("((admin-password))", "admin-password", "admin-password: ((admin-password))")
	f.Add("f[4]", "l.password", "l.password = f[4]")
	f.Add("pass", "", "nats://svc:pass@")
	f.Add(")]}", "pw", "pw: )]}")
	f.Add("8934e7d15453e97507ef794cf7b0519d", "KEY", "const KEY = '8934e7d15453e97507ef794cf7b0519d'")
	f.Add("supersecretfeathers", "secret", "secret: 'supersecretfeathers'")
	f.Add("dXNlcjpwYXNzd2Q=", "", "Basic dXNlcjpwYXNzd2Q=")
	f.Add("required|string|min:8", "password", "'password' => 'required|string|min:8'")
	f.Add("on_create", "update_password", "update_password: on_create")
	f.Add("etcd-cluster-0", "initial-cluster-token", "--initial-cluster-token=etcd-cluster-0")
	f.Add("*SENSITIVE*DATA*DELETED*", "Password", "<Password>*SENSITIVE*DATA*DELETED*")
	f.Fuzz(func(t *testing.T, secret, name, match string) {
		in := CheckInput{Secret: secret, Name: name, Match: match}
		for check, run := range contextChecks {
			ok := run(in)
			if reason, has := checkReasons[check]; has && ok != (reason(in) == "") {
				t.Fatalf("check %s: verdict %v, reason %q", check, ok, reason(in))
			}
		}
	})
}
