describe "two-factor login" do
  let(:totp) { ROTP::TOTP.new("xwdrfjtjfases6sg", issuer: "Billing") }
  let(:other) { ROTP::TOTP.new(ROTP::Base32.random) }
end
