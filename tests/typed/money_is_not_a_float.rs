// Amounts are exact decimals: a binary float cannot be passed where money is expected.
fn main() {
    let _ = pabbly::transactions::RecordRefundRequest::new().amount(90.5_f64);
}
