import axios from 'axios';

const AUTH_HEADER = 'Basic cmVwb3J0aW5nOlZlbHZldDY4JmxhbnRlcm4=';
const header = 'Basic ' + btoa(user + ':' + pass);
export const api = axios.create({
  baseURL: 'https://api.acme.io',
  auth: { username: 'importer', password: 'ak-99n=eEC7C^6' },
});
api.defaults.headers.common['X-Api-Key'] = apiKey;
api.defaults.headers.common['X-Api-Key'] = '61rztPeHmI1g6pD96mjTwnxv9aLqmlCE';
const nextPageToken = 'CiAKGjBpNDd2Nmp2Zml2cXRtOGY0';
const next_cursor = 'dXNlcjpVMEc5V0ZYTkZ8MTcwMDAwMDAwMA';
const tokenizer = 'cl100k_base';
const max_tokens = 4096;
const GRAPHQL_TOKEN = "Vlv5L2ug3oIaCfCh95aMwBwJ5ZbDov1w034qOBYo";
emitter.on('token:refresh', handler);
throw new Error('token expired, please sign in again');
