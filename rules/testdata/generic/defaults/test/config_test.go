package config

var testOptions = Options{
	User:     "root",
	Password: "1234567890",
}

var sentinel = Sentinel{Password: "000000"}

var replica = Options{User: "replica", Password: "20190611"}
