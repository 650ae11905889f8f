pabbly::include_api!("unresolved_reference.yaml");

fn main() {}
