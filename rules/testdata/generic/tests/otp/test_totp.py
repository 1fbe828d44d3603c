import pyotp

totp = pyotp.TOTP('RFDZISMVKRVL2CAN')
user_totp = pyotp.TOTP(user.otp_secret)
uri = "otpauth://totp/Billing:ops@billing.test?secret=6AVXB556ZDXLWMPP&issuer=Billing"
template_uri = f"otpauth://totp/{label}?secret={secret}&issuer=Billing"
