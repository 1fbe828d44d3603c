const assert = require('assert');
const header = 'Proxy-Authorization: Basic dXNlcjpwQHNz';
request.set('Authorization', 'Basic dGhvbTpuaWdodHdvcmxk');
assert.equal(auth, 'Basic eW91cl91c2VybmFtZTp5b3VyX3Bhc3N3b3Jk');
assert.equal(auth, 'Basic ' + Buffer.from(user + ':' + pass).toString('base64'));
// Basic auth is tried before digest auth
