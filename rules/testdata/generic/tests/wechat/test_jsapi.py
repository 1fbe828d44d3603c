fixtures_jsapi_ticket = 'KIyFCQG5gRxlM5obFbMZpOlgQm7-vpjfYOanu6s0wgna3DjpE82MPzhywu77aKwJ68JbTB8YPjsICbaXUInKZY'
ticket = 'OPS-1234-deploy'
jsapi_ticket_url = 'https://api.weixin.qq.com/cgi-bin/ticket/getticket'
