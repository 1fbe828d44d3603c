package com.acme.storefront.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
public class Db {
    @Value("${app.jwt.secret}")
    private String jwtSecret;

    @Value("${spring.datasource.password}")
    private String password;

    public Connection connect() throws SQLException {
        String url = System.getenv("JDBC_URL");
        String user = System.getenv("DB_USER");
        String password = System.getenv("DB_PASSWORD");
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("ssl", "true");
        return DriverManager.getConnection(url, props);
    }

    public boolean checkPassword(String password, String hash) {
        return PasswordEncoder.matches(password, hash);
    }
}
