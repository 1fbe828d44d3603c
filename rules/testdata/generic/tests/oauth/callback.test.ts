const authorizationCode: string = 'HeEFhYzMDnac0xKTfvOVVw'
const authCodeUrl = 'https://login.acme.test/authorize'
