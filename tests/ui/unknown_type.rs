pabbly::include_api!("unknown_type.yaml");

fn main() {}
