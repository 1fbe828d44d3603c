app.set('authentication', { secret: 'supersecretfeathers' })
const secret = 'secret_key_base'
config.secret = process.env.SECRET
module.exports.secret = secret
