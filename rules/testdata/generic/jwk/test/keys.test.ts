import { importJWK } from 'jose';
const hs = await importJWK({ kty: 'oct', k: 'C3rpWMc2pRSD8mHQP64djPtq2Ui3JpUEc-JRwC-eDXw' }, 'HS256');
const ec = {
  kty: 'EC',
  crv: 'P-256',
  x: 'C8R9Nu-oYRrTjEX-t3Ap4ptUDcZ_OPGqYxzVjkcAuXI',
  y: 'Cw4RFBcaHSAjJiksLzI1ODs-QURHSk1QU1ZZXF9iZWg',
  d: 'C1il8j-M2SZzwA1ap_RBjtsodcIPXKn2Q5DdKnfEEV4',
};
const pub = { kty: 'EC', crv: 'P-256', x: 'C8R9Nu-oYRrTjEX-t3Ap4ptUDcZ_OPGqYxzVjkcAuXI', y: 'Cw4RFBcaHSAjJiksLzI1ODs-QURHSk1QU1ZZXF9iZWg' };
const env = { kty: 'oct', k: process.env.JWT_KEY };
