//! An `https` base URL is reached over TLS with the settings `pabbly::tls_config` describes
//! (rustls with *ring*), both by the HTTP client `build()` makes and by a reqwest client a service
//! builds with those settings for `http_client`: a loopback listener sees a TLS ClientHello.
//! (No certificate it could show would be trusted, so it hangs up after the greeting and the
//! call ends as a transport error.)

use std::time::Duration;

use pabbly::{Client, ClientBuilder, ErrorKind, RequestOptions};
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;

/// Bounds the wait so a broken test fails instead of hanging.
const GUARD: Duration = Duration::from_secs(20);

/// The first bytes `builder`'s client sends to an `https` server, and the error of its call.
async fn greeting(
    builder: impl FnOnce(String) -> ClientBuilder<Client>,
) -> ([u8; 6], pabbly::Error) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("an address");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut head = [0_u8; 6];
        socket.read_exact(&mut head).await.expect("six bytes");
        head // the socket and the listener close here
    });
    let client = builder(format!("https://{address}/api/v1"))
        .request_options(RequestOptions::new().max_attempts(1))
        .build()
        .expect("client builds");
    let customers = client.customers();
    let error = tokio::time::timeout(GUARD, customers.get("cus_1"))
        .await
        .expect("the call ends")
        .expect_err("no TLS server answers");
    let head = server.await.expect("the listener saw the greeting");
    (head, error)
}

/// A TLS handshake record (type 22, version 3.x) carrying a ClientHello (type 1).
fn is_client_hello(head: [u8; 6]) -> bool {
    head[0] == 0x16 && head[1] == 0x03 && head[5] == 0x01
}

#[tokio::test]
async fn the_built_client_speaks_tls() {
    let (head, error) =
        greeting(|url| Client::builder("test-key", "test-secret").base_url(url)).await;
    assert!(is_client_hello(head), "not a ClientHello: {head:02x?}");
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
}

#[tokio::test]
async fn a_reqwest_client_given_the_tls_settings_speaks_tls() {
    let http = pabbly::reqwest::Client::builder()
        .tls_backend_preconfigured(pabbly::tls_config().expect("TLS settings"))
        .redirect(pabbly::reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client");
    let (head, error) = greeting(|url| {
        Client::builder("test-key", "test-secret")
            .base_url(url)
            .http_client(http)
    })
    .await;
    assert!(is_client_hello(head), "not a ClientHello: {head:02x?}");
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
}
