pabbly::include_api!("collision_model_type.yaml");

fn main() {}
