class UsersTest < ActiveSupport::TestCase
  test "signs in" do
    user = User.create!(email: "user@test.com", password: "12345678")
    user.update(password: "987654321", password_confirmation: "987654321")
    sign_in_as_user(password: "abc123")
    other = User.create!(email: "ops@test.com", password: "84736291")
    assert other.valid_password?("84736291")
  end
end
