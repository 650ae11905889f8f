pabbly::include_api!("yaml_syntax.yaml");

fn main() {}
