//! Test-only package: see the test targets.
