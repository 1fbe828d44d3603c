Stream.configure do |config|
  config.consumer_key       = 'Rk4vQ9mZt2LkP7wN3bYc8H'
  config.consumer_secret    = 'Xc7nV2bM9kL4pQ8wZ3rT6yJ1hG5dF0sA2eR7uI3o'
  config.oauth_token        = '4618-Hq2Wz8vLk4RnMx7pT3cQa9YdBn5Jk2Lp6Vr9'
  config.oauth_token_secret = ENV['STREAM_TOKEN_SECRET']
  config.auth_method        = :oauth
end
