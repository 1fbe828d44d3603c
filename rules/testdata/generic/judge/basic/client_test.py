import requests
requests.get(url, headers={"Authorization": "Basic dXNlcjpwYXNzd2Q="})
requests.get(url, headers={"Authorization": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="})
requests.get(url, headers={"Authorization": "Basic ZGVwbG95OiR7e0RFUExPWV9QQVNTV09SRH19"})
requests.get(url, headers={"Authorization": "Basic dXNlcjoqKioqKioqKg=="})
