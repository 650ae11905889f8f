pabbly::include_api!("no_such_spec.yaml");

fn main() {}
