pabbly::include_api!("collision_request_type.yaml");

fn main() {}
