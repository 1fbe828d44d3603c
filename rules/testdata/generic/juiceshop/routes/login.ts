const baseUser = { email: '', password: '' }
baseUser.password = user?.data?.password
module.exports.deluxeToken = deluxeToken
