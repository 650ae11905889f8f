pabbly::include_api!("missing_required_key.yaml");

fn main() {}
