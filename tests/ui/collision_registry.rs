pabbly::include_api!("collision_registry.yaml");

fn main() {}
