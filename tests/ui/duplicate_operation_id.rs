pabbly::include_api!("duplicate_operation_id.yaml");

fn main() {}
