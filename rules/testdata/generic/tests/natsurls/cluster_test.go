package natsurls

const (
	billingURL  = "nats://billing:pass@127.0.0.1:4222"
	routeURL    = "nats-route://relay:top_secret@10.0.0.7:6222"
	workerURL   = "amqp://worker:kiwi@localhost:5672/"
	formatURL   = "nats://%s:pass@%s:%d"
	counterURL  = "nats://user1:pwd1@host2:5222"
	templateURL = "postgres://api_user:api_password@localhost/db"
	fooURL      = "http://foo:bar@localhost:9200"
	wrongURL    = "nats://alice:wrong_pass@127.0.0.1:4222"
	fillerURL   = "redis://cache:test@localhost:6379"
	pinURL      = "nats://svc:1324@127.0.0.1:4222"
)
