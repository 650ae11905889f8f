// A request names the values the spec lists: an unlisted one cannot be made up (only decoding an
// answer makes an `Unknown`).
fn main() {
    let mode = pabbly::models::PaymentMode::Unknown("bitcoin".into());
    let _ = pabbly::subscriptions::ChangePlanRequest::new("plan", mode);
}
