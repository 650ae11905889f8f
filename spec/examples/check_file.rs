//! Loads a spec file and prints its diagnostics (a maintainer's quick check).
fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "spec/pabbly.yaml".to_owned());
    match pabbly_spec::load(std::path::Path::new(&path), &path) {
        Ok(api) => println!("ok: {} operations", api.operations().count()),
        Err(d) => println!("{d}"),
    }
}
