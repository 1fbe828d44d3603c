describe Client do
  it { expect(subject.headers['Authorization']).to eq('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==') }
  let(:headers) { {authorization: 'Basic Q0s6Q1M=', content_type: 'application/json'} }
  let(:redacted) { {'Authorization' => 'Basic login_and_password_removed'} }
  it { expect(headers['Authorization']).to eq("Basic #{token}") }
end
