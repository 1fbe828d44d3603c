export const config = {
  apiBaseUrl: 'https://api.acme.io/v2',
  mapsApiKey: 'rRtdVlC1fDBUiTue7fiPgpoiN4au9KWLFbAzjQ0',
  analyticsKey: import.meta.env.VITE_ANALYTICS_KEY,
  apiKey: process.env.API_KEY,
  sentryDsn: '<your-sentry-dsn>',
  searchToken: '81ee214e69886dd9078d3fe0a0887bee1afbfa45',
  passwordField: 'password',
  passwordLabel: 'Mot de passe',
  requireToken: true,
  tokenRefreshSeconds: 300,
};

export interface Credentials { username: string; password: string; }
let token: string = '';
const clientSecret: string = '5Qf5ORrK0tCb27brLe0Vyhlr7HiKRkf3';
const authToken = localStorage.getItem('authToken');
const header = `Bearer ${authToken}`;
const csrfToken = document.querySelector('meta[name=csrf-token]').content;
