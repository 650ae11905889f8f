pabbly::include_api!("collision_module.yaml");

fn main() {}
