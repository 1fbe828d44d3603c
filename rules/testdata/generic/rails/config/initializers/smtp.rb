ActionMailer::Base.smtp_settings = {
  user_name: 'apikey',
  password: 'XwX_C0x0!dAno_Ny8in4',
  domain: 'acme.io',
  authentication: :plain,
}
Octokit.configure { |c| c.access_token = '06356741a5bfd6d448e34e6ff404da55431a692a' }
Stripe.api_key = Rails.application.credentials.stripe[:secret_key]
Sidekiq.configure_server { |c| c.redis = { password: ENV.fetch('REDIS_PASSWORD') } }
Resque.redis = Redis.new(:host => 'redis.internal', :password => 'Thistle_lantern_2572')
@password = params[:password]
