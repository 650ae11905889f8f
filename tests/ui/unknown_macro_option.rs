pabbly::include_api!("several_errors.yaml", registry);

fn main() {}
