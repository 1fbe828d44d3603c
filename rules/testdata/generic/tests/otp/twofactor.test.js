const code = authenticator.generate('EVBPSDVKLCD66KZ3WPISBZF7LZIBNVJJ')
const secret = 'fnks lvjt otmr 4tmw zgfm pwap'
const motto = 'this will work only once'
const login = authenticator.login('administratoruser')
