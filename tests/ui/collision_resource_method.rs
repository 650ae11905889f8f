pabbly::include_api!("collision_resource_method.yaml");

fn main() {}
