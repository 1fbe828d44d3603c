const opts = {
  _auth: "ZGVhZDpiZWVm",
  auth: "ZGVhZDpiZWVm",
  author: "Jane Roe",
  auth: "dGVzdGluZw==",
  auth: process.env.NPM_AUTH,
};
