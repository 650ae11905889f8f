//! `pabbly-mock`: serves the mock from the command line, for integration tests in any language.

use std::ffi::OsString;
use std::process::ExitCode;

use pabbly_mock::{Fault, MockServer, Options, Stub};

const HELP: &str = "\
pabbly-mock: a loopback server that answers like the Pabbly Subscription Billing API

Serves every operation of the spec at its method and path under /api/v1 on 127.0.0.1, checks
HTTP Basic credentials, validates requests against the spec and answers with the documented
examples. Prints the base URL to give a client, logs one line per request to stderr, and stops
on Ctrl-C.

Usage: pabbly-mock [OPTIONS]

Options:
  -p, --port PORT           Port on 127.0.0.1 to listen on; 0 picks a free one [default: 12111]
      --api-key KEY         Accept only this API key (needs a secret key too); by default any
                            non-empty key and secret are accepted [env: PABBLY_MOCK_API_KEY]
      --secret-key SECRET   Accept only this secret key (needs an API key too); prefer the
                            environment variable: a command line is visible to every user in
                            `ps` [env: PABBLY_MOCK_SECRET_KEY]
      --fault ROUTE=FAULT   Inject a fault on a route; repeat for more, applied in order
      --stub ROUTE=STUB     Answer a route with a canned body instead of its example; repeat
                            for more, applied in order
  -q, --quiet               Do not log requests
      --routes              Print every route (method, path, operation id) and exit
  -h, --help                Print this help
  -V, --version             Print the version

Environment: PABBLY_MOCK_API_KEY and PABBLY_MOCK_SECRET_KEY set the credentials like the
options (an option given too wins), without putting the secret on the command line.

Limits: request headers must arrive within 30 s and a whole request body within 30 s more
(else 408 and the connection is closed); a body over 1 MiB gets 413, at once when its
Content-Length says so.

ROUTE is an operation id (portal_sessions.create) or 'METHOD /path' with the spec's path
template ('POST /portal_sessions/'); --routes lists them all.

FAULT is a comma-separated list of one action and any modifiers:
  status:CODE          answer with status CODE and {\"status\":\"error\",\"message\":…}
  delay:DURATION       wait before acting (250ms, 2s); alone, answer normally after it
  malformed            answer with half of the normal body: complete, but not JSON
  truncated            declare the full Content-Length, send half, close the connection
  drop                 close the connection without answering
  retry-after:SECONDS  add a Retry-After header
  times:N              apply to the next N requests of the route only, then answer normally
  body:TEXT            send TEXT as the body; must come last (it may contain commas)

STUB is `times:N,` (optional; without it, every request) then one of:
  data:JSON            JSON as the payload, in the operation's envelope
  body:JSON            JSON as the whole body
JSON may be @PATH to read it from a file. It is checked against the operation's response type
at start: a stub the client could not decode is refused, naming the field.

Examples:
  pabbly-mock --port 12111
  pabbly-mock --stub 'subscriptions.list=times:1,data:[{\"setup_fee\":49}]'
  pabbly-mock --stub 'customers.get=data:@customer.json'
  pabbly-mock --fault 'portal_sessions.create=status:503,retry-after:2,times:2'
  PABBLY_MOCK_API_KEY=KEY PABBLY_MOCK_SECRET_KEY=SECRET pabbly-mock --fault 'POST /portal_sessions/=delay:3s'
";

/// The environment variables that set the credentials, so the secret stays out of `ps`.
const API_KEY_VAR: &str = "PABBLY_MOCK_API_KEY";
const SECRET_KEY_VAR: &str = "PABBLY_MOCK_SECRET_KEY";

/// The port stripe-mock made familiar; `--port 0` asks for a free one.
const DEFAULT_PORT: u16 = 12111;

/// What the command line asks for.
enum Command {
    /// Serve with these options and, when given, only this API key and secret key.
    Serve(Options, Option<(String, String)>),
    Routes,
    Help,
    Version,
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1), |name| std::env::var_os(name)) {
        Ok(Command::Serve(options, credentials)) => match credentials {
            Some((key, secret)) => options.credentials(key, secret),
            None => options,
        },
        Ok(Command::Routes) => return print_routes(),
        Ok(Command::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("pabbly-mock {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\nFor more information, try '--help'.");
            return ExitCode::from(2);
        }
    };
    let server = match MockServer::start_with(options).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("pabbly-mock listening on {}", server.base_url());
    shutdown_signal().await;
    server.stop().await;
    eprintln!("pabbly-mock stopped");
    ExitCode::SUCCESS
}

fn print_routes() -> ExitCode {
    match pabbly_mock::routes() {
        Ok(routes) => {
            for route in routes {
                println!("{:<6} {:<60} {}", route.method, route.path, route.operation);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or SIGTERM from a process manager or a test harness on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    // Without a handler there is nothing to wait for but the process being killed.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Reads the command line; `env` looks up the credential variables (an option given on the
/// command line wins over its variable).
fn parse(
    args: impl Iterator<Item = String>,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Command, String> {
    let mut options = Options::default().log(true).port(DEFAULT_PORT);
    let from_env = |name: &str| match env(name) {
        None => Ok(None),
        Some(value) => match value.into_string() {
            Ok(value) if !value.is_empty() => Ok(Some(value)),
            Ok(_) => Err(format!("{name} is set but empty")),
            Err(_) => Err(format!("{name} is not valid UTF-8")),
        },
    };
    let (mut api_key, mut secret_key) = (from_env(API_KEY_VAR)?, from_env(SECRET_KEY_VAR)?);
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        // `--name=value` and `--name value` both work.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value)),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| match inline {
            Some(value) => Ok(value.to_owned()),
            None => args
                .next()
                .ok_or_else(|| format!("`{name}` needs a value: {what}")),
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "-q" | "--quiet" => options = options.log(false),
            "--routes" => return Ok(Command::Routes),
            "-p" | "--port" => {
                let port = value("PORT")?;
                let port = port
                    .parse()
                    .map_err(|_| format!("`{port}` is not a port number (0–65535)"))?;
                options = options.port(port);
            }
            "--api-key" => api_key = Some(value("KEY")?),
            "--secret-key" => secret_key = Some(value("SECRET")?),
            "--fault" => {
                let spec = value("ROUTE=FAULT")?;
                let (route, fault) = spec.split_once('=').ok_or_else(|| {
                    format!("`--fault {spec}` is not ROUTE=FAULT, e.g. portal_sessions.create=status:503")
                })?;
                let fault: Fault = fault.parse().map_err(|e| format!("{e}"))?;
                options = options.fault(route.trim(), fault);
            }
            "--stub" => {
                let spec = value("ROUTE=STUB")?;
                let (route, stub) = spec.split_once('=').ok_or_else(|| {
                    format!("`--stub {spec}` is not ROUTE=STUB, e.g. customers.list=data:[]")
                })?;
                let stub: Stub = stub.parse().map_err(|e| format!("{e}"))?;
                options = options.stub(route.trim(), stub);
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    let credentials = match (api_key, secret_key) {
        (Some(key), Some(secret)) => Some((key, secret)),
        (None, None) => None,
        _ => {
            return Err(format!(
                "an API key and a secret key go together (--api-key or {API_KEY_VAR}, \
                 --secret-key or {SECRET_KEY_VAR})"
            ));
        }
    };
    Ok(Command::Serve(options, credentials))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        run_with(args, &[])
    }

    fn run_with(args: &[&str], vars: &[(&str, &str)]) -> Result<Command, String> {
        let env = |name: &str| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| OsString::from(value))
        };
        parse(args.iter().map(|a| (*a).to_owned()), env)
    }

    /// The credentials a command line (and environment) configures, or why it is refused.
    fn credentials(
        args: &[&str],
        vars: &[(&str, &str)],
    ) -> Result<Option<(String, String)>, String> {
        match run_with(args, vars)? {
            Command::Serve(_, credentials) => Ok(credentials),
            _ => panic!("{args:?} does not serve"),
        }
    }

    fn pair(key: &str, secret: &str) -> Result<Option<(String, String)>, String> {
        Ok(Some((key.to_owned(), secret.to_owned())))
    }

    #[test]
    fn credentials_come_from_the_environment_or_the_options() {
        let both = [(API_KEY_VAR, "env-key"), (SECRET_KEY_VAR, "env-secret")];
        assert_eq!(credentials(&[], &both), pair("env-key", "env-secret"));
        // An option wins over its variable.
        assert_eq!(
            credentials(&["--secret-key", "flag-secret"], &both),
            pair("env-key", "flag-secret")
        );
        assert_eq!(
            credentials(&["--api-key", "flag-key"], &both[1..]),
            pair("flag-key", "env-secret")
        );
        assert_eq!(credentials(&[], &[]), Ok(None));
        // Half a pair, or an empty variable, is a mistake rather than "accept anything".
        let half = credentials(&[], &both[1..]).expect_err("half a pair");
        assert!(half.contains("go together"), "{half}");
        assert_eq!(
            credentials(&["--api-key", "k"], &[(SECRET_KEY_VAR, "")]),
            Err("PABBLY_MOCK_SECRET_KEY is set but empty".to_owned())
        );
    }

    #[test]
    fn options_parse_in_both_spellings() {
        assert!(matches!(run(&["--port", "0"]), Ok(Command::Serve(..))));
        assert!(matches!(run(&["--port=0", "-q"]), Ok(Command::Serve(..))));
        assert!(matches!(run(&["--help"]), Ok(Command::Help)));
        assert!(matches!(run(&["-V"]), Ok(Command::Version)));
        assert!(matches!(run(&["--routes"]), Ok(Command::Routes)));
        assert!(matches!(
            run(&["--fault", "portal_sessions.create=status:503,times:2"]),
            Ok(Command::Serve(..))
        ));
        assert!(matches!(
            run(&["--fault=POST /portal_sessions/=drop"]),
            Ok(Command::Serve(..))
        ));
        assert!(matches!(
            run(&["--stub", r#"customers.list=times:2,data:[{"id":"c1"}]"#]),
            Ok(Command::Serve(..))
        ));
    }

    #[test]
    fn mistakes_are_explained() {
        let error = |args: &[&str]| match run(args) {
            Err(message) => message,
            Ok(_) => panic!("{args:?} parsed"),
        };
        assert!(error(&["--port", "high"]).contains("not a port number"));
        assert!(error(&["--port"]).contains("needs a value"));
        assert!(error(&["--api-key", "k"]).contains("go together"));
        assert!(error(&["--fault", "status:503"]).contains("ROUTE=FAULT"));
        assert!(error(&["--fault", "x=explode"]).contains("unknown item"));
        assert!(error(&["--verbose"]).contains("unexpected argument"));
        assert!(error(&["--stub", "data:[]"]).contains("ROUTE=STUB"));
        assert!(error(&["--stub", "customers.list=data:[oops"]).contains("does not parse"));
        assert!(error(&["--stub", "customers.list=times:x,data:[]"]).contains("whole number"));
    }
}
