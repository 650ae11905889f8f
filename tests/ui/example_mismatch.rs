pabbly::include_api!("example_mismatch.yaml");

fn main() {}
