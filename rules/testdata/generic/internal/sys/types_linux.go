package sys
type _C_struct_passwd = C.struct_passwd
const NETKIT_PASS = C.NETKIT_PASS
	pass := &analysis.Pass{
	FS_IOC_ADD_ENCRYPTION_KEY = 0xc0506617
	tok := token.New("685.230_15e+03", "685.230_15e+03", pos)
	{"Onepass", `^a.[l-nA-Cg-j]?e$`},
	storeCredential("api.github.com/foo", want.Header)
	Token: `urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6`,
	t.Logf("in\n\t%s\nwith PWD=%s\nsubprocess os.Getwd()", dir, pwd)
