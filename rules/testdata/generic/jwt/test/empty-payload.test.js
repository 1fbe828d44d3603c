const jwt = require('jsonwebtoken');
var TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.vJmCGnFX_WxLPVur9ScQYDwaZfnWA2eHg0f94_RK1mE';
const pretty = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.ewogICJzdWIiOiAic3ZjIgp9.ezLrWc51nzJOzhsu2rsQ3Qz7pP_Xs4cX6CR1NajMMLw';
const notJwt = 'eyJhbGciOiJIUzI1NiJ9.e30';
