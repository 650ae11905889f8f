pabbly::include_api!("several_errors.yaml");

fn main() {}
