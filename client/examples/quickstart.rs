//! Creates a client portal session and prints its access URL and expiry.
//!
//! Without `PABBLY_API_KEY` and `PABBLY_SECRET_KEY` in the environment it runs against an
//! embedded mock of Pabbly on a loopback port, so it works without an account:
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With both set it calls `PABBLY_BASE_URL` (default: Pabbly's production API) for the customer
//! given as the first argument:
//!
//! ```sh
//! cargo run --example quickstart -- CUSTOMER_ID [REDIRECT_URL]
//! ```

use std::process::ExitCode;

use pabbly::portal_sessions::CreateRequest;

/// The customer of Pabbly's documented example, used against the mock.
const EXAMPLE_CUSTOMER: &str = "5e5f50647c5aeb3675f416aa";

#[tokio::main]
async fn main() -> ExitCode {
    let credentials = (
        std::env::var("PABBLY_API_KEY")
            .ok()
            .filter(|v| !v.is_empty()),
        std::env::var("PABBLY_SECRET_KEY")
            .ok()
            .filter(|v| !v.is_empty()),
    );
    let outcome = match credentials {
        (Some(api_key), Some(secret_key)) => live(api_key, secret_key).await,
        (None, None) => against_mock().await,
        _ => Err(
            "set both PABBLY_API_KEY and PABBLY_SECRET_KEY, or neither to use the mock".to_owned(),
        ),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn live(api_key: String, secret_key: String) -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let customer = args
        .next()
        .ok_or("usage: cargo run --example quickstart -- CUSTOMER_ID [REDIRECT_URL]")?;
    let mut builder = pabbly::Client::builder(api_key, secret_key);
    if let Ok(base_url) = std::env::var("PABBLY_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    let mut request = CreateRequest::new(customer);
    if let Some(redirect_url) = args.next() {
        request = request.redirect_url(redirect_url);
    }
    create_session(&client, &request).await
}

async fn against_mock() -> Result<(), String> {
    let mock = pabbly_mock::MockServer::start()
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "No PABBLY_API_KEY/PABBLY_SECRET_KEY set: using the embedded mock at {}",
        mock.base_url()
    );
    let client = pabbly::Client::builder("demo-api-key", "demo-secret-key")
        .base_url(mock.base_url())
        .build()
        .map_err(|e| e.to_string())?;
    let request = CreateRequest::new(EXAMPLE_CUSTOMER).redirect_url("https://www.pabbly.com/");
    let outcome = create_session(&client, &request).await;
    mock.stop().await;
    outcome
}

async fn create_session(client: &pabbly::Client, request: &CreateRequest) -> Result<(), String> {
    let session = client
        .portal_sessions()
        .create(request)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(message) = &session.message {
        println!("Pabbly says: {message}");
    }
    println!("Access URL: {}", session.data.access_url);
    println!("Expires at: {}", session.data.expires_at.to_rfc3339());
    Ok(())
}
