CREATE USER 'reporting'@'%' IDENTIFIED BY '^uo209+M*=YYAppU';
CREATE ROLE etl WITH LOGIN PASSWORD 'Saffron83$harbor';
CREATE ROLE app WITH LOGIN PASSWORD :'app_password';
    password_hash VARCHAR(255) NOT NULL,
    reset_token CHAR(64),
ALTER USER scott IDENTIFIED BY LiE7rE0Ah?qX;
ALTER USER scott IDENTIFIED BY tiger;
CREATE LOGIN etl_svc WITH PASSWORD = 'mskfFg03B5P-xV-1VU', CHECK_POLICY = ON;
GRANT ALL ON shop.* TO 'shop'@'%' IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9';
INSERT INTO users (email, password_hash) VALUES ('ops@acme.io', '$2b$12$/F8jcKBU1CiTtiZJ3uHYneZ.AUwHncLq0Bdl32GDMk7iDvhyyXMfC');
SELECT id FROM users WHERE email = $1 AND password_hash = $2;
