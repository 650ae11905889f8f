//! Request types refuse what the spec's facts rule out, at compile time: a flag is a `bool`,
//! not a word; an amount is a `pabbly::Decimal`, not a binary float; an enum value is one the
//! spec lists.

#[test]
fn typos_and_floats_do_not_compile() {
    trybuild::TestCases::new().compile_fail("typed/*.rs");
}
