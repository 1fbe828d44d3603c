const config = {
  user: process.env.DB_USER || 'svc',
  password: process.env.DB_PASSWORD || 'Rb7!kd92-q',
  host: process.env.DB_HOST || 'localhost',
  secret: process.env.DB_PASSWORD || '',
}
