require 'twilio-ruby'

Twilio.configure do |config|
  config.account_sid = 'AC4f7a0d3c6e9b2f5a8d1c4e7b0a3d6f92'
  config.auth_token = 'e5b8d1a4f7c0e3b6d9a2f5c8b1e4d7a0'
end

@client = Twilio::REST::Client.new('AC4f7a0d3c6e9b2f5a8d1c4e7b0a3d6f92', '1c4f7a0d3e6b9c2f5a8d1e4b7c0a3f69')
@env_client = Twilio::REST::Client.new(ENV['TWILIO_ACCOUNT_SID'], ENV['TWILIO_AUTH_TOKEN'])
@doc_client = Twilio::REST::Client.new('ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'your_auth_token')
