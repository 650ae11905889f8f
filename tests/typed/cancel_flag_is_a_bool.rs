// `cancel_at_end` is a flag: a word such as "yes" is a typo the compiler catches.
fn main() {
    let _ = pabbly::subscriptions::CancelRequest::new("yes");
}
