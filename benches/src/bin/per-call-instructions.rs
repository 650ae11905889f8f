//! Per-call cost in instructions, for `valgrind --tool=callgrind`: unlike time, an instruction
//! count does not move with the load of a shared machine, so two runs give the same figure.
//!
//! Makes `CALLS` calls of `portal_sessions.create` with one side (`generated` or `handwritten`)
//! against a `pabbly-mock` server in the same process, on a current-thread runtime, after a
//! few warm-up calls. Run it twice per side under callgrind, with two call counts; the
//! difference of the totals divided by the difference of the counts is one call's cost, client
//! and server together, without the start-up:
//!
//! ```sh
//! cargo build --release -p pabbly-benches --bin per-call-instructions
//! for side in generated handwritten; do
//!     for calls in 100 1100; do
//!         valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!             target/release/per-call-instructions $side $calls 2>&1 | grep 'Collected'
//!     done
//! done
//! ```

use std::process::ExitCode;

use pabbly::portal_sessions::CreateRequest;
use pabbly_benches::handwritten::HandClient;
use pabbly_mock::MockServer;

const CUSTOMER: &str = "5e5f50647c5aeb3675f416aa";
const REDIRECT: &str = "https://www.pabbly.com/";
const WARM_UP: usize = 10;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (side, calls) = match args.as_slice() {
        [side, calls] => match calls.parse::<usize>() {
            Ok(calls) if side == "generated" || side == "handwritten" => (side.clone(), calls),
            _ => return usage(),
        },
        _ => return usage(),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: no tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&side, calls)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: per-call-instructions generated|handwritten CALLS");
    ExitCode::FAILURE
}

async fn run(side: &str, calls: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await?;
    let (api_key, secret_key) = ("bench-api-key", "bench-secret-key");
    if side == "generated" {
        let client = pabbly::Client::builder(api_key, secret_key)
            .base_url(mock.base_url())
            .build()?;
        let request = CreateRequest::new(CUSTOMER).redirect_url(REDIRECT);
        for _ in 0..WARM_UP + calls {
            std::hint::black_box(client.portal_sessions().create(&request).await?);
        }
    } else {
        let client = HandClient::new(mock.base_url(), api_key, secret_key)?;
        for _ in 0..WARM_UP + calls {
            std::hint::black_box(
                client
                    .create_portal_session(CUSTOMER, Some(REDIRECT))
                    .await?,
            );
        }
    }
    Ok(())
}
