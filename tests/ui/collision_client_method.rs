pabbly::include_api!("collision_client_method.yaml");

fn main() {}
