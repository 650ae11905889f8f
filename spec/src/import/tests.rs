//! End-to-end importer tests on small pages written inline.
