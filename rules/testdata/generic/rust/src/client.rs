use reqwest::Client;

const API_KEY: &str = "9df0uxdrHndKEIa0By4G1Fsfx3Of1OMyl78C7NaR";
    let db_password = "Tundra16&otter";
    let token = std::env::var("API_TOKEN").expect("API_TOKEN not set");
    pub password: String,
    let creds = Credentials { user: "svc".into(), password: "hQ-NK0wt8rr2x7".to_string() };
    let header = format!("Bearer {}", token);
    return Err(anyhow!("invalid api key"));
