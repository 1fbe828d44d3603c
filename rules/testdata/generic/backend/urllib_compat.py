        self.passwd = password_mgr
FIELDS = ["user", "password", "token", "secret_name"]
# METHOD can be "trust", "reject", "md5", "password", "scram-sha-256",
# "kadmin/dbutil", "kadmin/passwd", "kadmin/server", "lib/kadm5", and
await libpub.unpublish('lodash', { token: 'i-am-the-worst'})
secret = pass:insta # can be used for both client and server side
client = Client(password=open("/run/secrets/db").read().strip())
    password="Willow@Falcon410",
CACHES = {"default": {"OPTIONS": {"PASSWORD": "^7ZBj2a1oYeuDPWr"}}}
