//! The spec checker's rules as data: each file under `tests/rules/` is a small spec that breaks
//! one rule and is named after it; its rendered diagnostics (position, message, source excerpt
//! with caret, help) are snapshotted under `tests/rules/snapshots/`, the review surface for how
//! each mistake reads.
//!
//! To add a rule, add `tests/rules/<rule>.yaml`, list it below, and accept its snapshot
//! (`INSTA_UPDATE=always cargo test -p pabbly-spec --test rules`, then read the new `.snap`).

use std::path::Path;

/// One test per rule file, and the list of them for [`every_rule_file_is_listed`].
macro_rules! rules {
    ($($rule:ident,)*) => {
        $(
            #[test]
            fn $rule() {
                check_rule(stringify!($rule));
            }
        )*

        const RULES: &[&str] = &[$(stringify!($rule)),*];
    };
}

/// Loads `tests/rules/<rule>.yaml`, which must fail, and snapshots what it reports.
#[track_caller]
fn check_rule(rule: &str) {
    let file = format!("{rule}.yaml");
    let path = rules_dir().join(&file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let Err(diagnostics) = pabbly_spec::load_str(&text, &file) else {
        panic!("{file} breaks no rule: it loads");
    };
    insta::with_settings!({
        snapshot_path => rules_dir().join("snapshots"),
        prepend_module_to_snapshot => false,
        input_file => &path,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(rule, diagnostics.to_string());
    });
}

fn rules_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

#[test]
fn every_rule_file_is_listed() {
    let mut files: Vec<String> = std::fs::read_dir(rules_dir())
        .expect("tests/rules is readable")
        .filter_map(|entry| {
            let name = entry.expect("a directory entry").file_name();
            name.to_str()?.strip_suffix(".yaml").map(str::to_owned)
        })
        .collect();
    files.sort();
    let mut listed: Vec<&str> = RULES.to_vec();
    listed.sort_unstable();
    assert_eq!(files, listed, "list each file of tests/rules in `rules!`");
}

rules! {
    a_diagnostic_prints_position_source_caret_and_help,
    a_field_named_new_would_shadow_the_constructor,
    a_field_without_a_usable_rust_name_needs_rust_name,
    a_misspelt_required_key_is_reported_once,
    an_operation_with_a_bad_id_is_still_checked,
    array_without_items,
    auth_must_be_basic,
    bare_envelope_is_the_data_itself,
    base_is_a_relative_path,
    base_url_must_be_http_or_https,
    bounds_only_on_integers,
    declared_path_parameter_must_be_used,
    doc_page_is_the_file_name_of_a_page,
    doc_page_is_the_file_name_of_a_page_2,
    doc_page_is_the_file_name_of_a_page_3,
    doc_page_is_the_file_name_of_a_page_4,
    duplicate_key_names_the_key_without_loader_advice,
    duplicate_operation_id_names_the_first_line,
    empty_string_is_unset_only_for_a_nullable_date,
    enum_needs_a_value,
    enum_value_unknown_is_reserved,
    enum_values_that_make_the_same_variant,
    envelope_must_be_an_object_with_status_and_data,
    every_mistake_is_reported_in_one_run_in_file_order,
    example_missing_a_required_field,
    example_mistakes_join_the_others_in_file_order,
    example_values_follow_the_wire_rules,
    example_with_a_bad_date_time,
    example_with_a_wrong_scalar_type,
    example_with_an_undeclared_field,
    example_with_null_in_a_field_that_is_not_nullable,
    field_keys_on_a_named_type_are_reported_at_the_key,
    field_keys_on_response_data_are_refused,
    format_only_on_a_string,
    hoisted_inline_type_cannot_take_a_named_types_name,
    hoisted_inline_type_cannot_take_a_named_types_name_2,
    lenient_elements_are_refused_because_nothing_would_decode_them_leniently,
    lenient_only_on_string_integer_number_and_boolean,
    lenient_values_are_accepted_in_their_string_forms,
    malformed_operation_ids,
    malformed_path_placeholders,
    malformed_path_placeholders_2,
    malformed_path_placeholders_3,
    malformed_path_placeholders_4,
    malformed_path_placeholders_5,
    a_placeholder_is_a_whole_path_segment,
    a_path_has_no_empty_segment,
    map_without_values,
    message_envelope_carries_no_data,
    message_list_envelope_holds_the_data_under_message,
    minimum_must_not_exceed_maximum,
    misplaced_items_fields_enum_and_values_point_at_the_type,
    misplaced_keys_on_a_named_type_are_refused_too,
    missing_key_inside_a_flow_mapping_is_reported_at_the_mapping,
    missing_required_key_in_a_compact_sequence_and_a_nested_field,
    missing_required_key_in_a_compact_sequence_and_a_nested_field_2,
    missing_required_key_points_at_the_start_of_its_mapping,
    missing_required_key_skips_earlier_entries_comments_and_values,
    missing_top_level_key_points_at_the_document_start,
    money_is_never_lenient,
    money_is_refused_as_array_items,
    name_collision_client_method,
    name_collision_model_type,
    name_collision_module,
    name_collision_prelude_type,
    name_collision_registry,
    name_collision_request_type,
    name_collision_reserved_handle_method,
    name_collision_resource_method,
    name_collision_webhooks_module,
    name_collision_runtime_alias,
    named_type_is_an_object_or_an_enum,
    named_type_name_is_pascal_case,
    object_without_fields,
    override_names_a_part_of_the_operation_and_gives_a_reason,
    path_parameter_is_a_string_or_an_integer,
    path_starts_with_a_slash,
    probably_names_a_type_under_types,
    probably_only_for_untyped_data,
    query_and_body_together,
    repeat_safety_equal_to_the_default_is_refused,
    repeat_safety_override_needs_a_reason,
    request_example_is_checked_against_the_parameters,
    request_example_on_an_operation_without_parameters,
    reserved_resource_names_are_refused,
    response_needs_data,
    rust_name_must_be_an_identifier,
    sensitive_is_a_field_fact_not_a_type_fact,
    sent_as_fits_booleans_and_amounts,
    the_blocking_module_name_is_reserved,
    two_fields_with_one_rust_name,
    two_hoisted_inline_types_cannot_share_a_name,
    typos_and_other_mistakes_in_one_run,
    undeclared_path_parameter,
    unknown_envelope,
    unknown_format,
    unknown_http_method_is_quoted_as_written,
    unknown_key_in_an_operation,
    unknown_key_is_an_error_at_the_key,
    unknown_type_with_a_suggestion,
    unknown_type_without_a_suggestion,
    unresolved_reference_with_a_suggestion,
    unresolved_reference_without_a_suggestion,
    unsupported_spec_version,
    webhook_confirm_names_a_read_of_one_object,
    webhook_event_data_is_an_object_type_or_any,
    webhook_event_keys_and_example,
    webhook_event_types_are_unique,
    wrongly_typed_value_is_reported_at_the_value,
    yaml_syntax_error_is_reported_at_its_position,
    yaml_unclosed_quote_is_reported_at_the_quote,
}
