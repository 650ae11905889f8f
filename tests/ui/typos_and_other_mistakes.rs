pabbly::include_api!("typos_and_other_mistakes.yaml");

fn main() {}
