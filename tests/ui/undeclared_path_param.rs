pabbly::include_api!("undeclared_path_param.yaml");

fn main() {}
