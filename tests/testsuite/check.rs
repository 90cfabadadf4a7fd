//! `practicebank check` on one fixture site per kind of bad input, each
//! asserting the exact place, code and a key part of the message or help.

use crate::harness::{check_root, fixture_text, Site, CASE_STUDY};
use std::path::Path;

/// Written outside `content/` by the tests that try to escape it; it must
/// never be read, so it must never be shown.
const SECRET: &str = "TOP-SECRET-9f2c1e: the contents of a file outside content/";

/// Runs every output format and asserts `text` is in none of them.
fn assert_no_format_shows(site: &Site, text: &str) {
    for format in ["human", "github", "json"] {
        let output = site.run(&["check", "--format", format]);
        let shown = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!shown.contains(text), "--format {format} showed {text:?}:\n{shown}");
    }
}

// Valid input.

#[test]
fn valid_fixture_checks_clean() {
    Site::fixture("valid").check().assert_clean().assert_summary("checked 1 case study: no problems");
}

#[test]
fn example_site_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case_studies = std::fs::read_dir(root.join("content/case-studies"))
        .expect("the example site has content/case-studies")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md")))
        .count();
    assert!(case_studies > 0, "the example site has no case studies");
    check_root(root).assert_clean().assert_summary(&format!("checked {case_studies} case studies: no problems"));
}

#[test]
fn byte_order_mark_is_valid() {
    let text = fixture_text("valid", CASE_STUDY);
    Site::fixture("valid")
        .write(CASE_STUDY, [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat())
        .check()
        .assert_clean();
}

#[test]
fn crlf_line_endings_are_valid() {
    let text = fixture_text("valid", CASE_STUDY).replace('\n', "\r\n");
    Site::fixture("valid").write(CASE_STUDY, text).check().assert_clean();
}

#[test]
fn byte_order_mark_and_crlf_together_are_valid() {
    let text = format!("\u{feff}{}", fixture_text("valid", CASE_STUDY).replace('\n', "\r\n"));
    Site::fixture("valid").write(CASE_STUDY, text).check().assert_clean();
}

#[test]
fn byte_order_mark_and_crlf_keep_lines_and_columns() {
    let text = format!("\u{feff}{}", fixture_text("unknown-key-figure", CASE_STUDY).replace('\n', "\r\n"));
    Site::fixture("unknown-key-figure")
        .write(CASE_STUDY, text)
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 16, Some(5), "unknown-key", "did you mean `value`?");
}

#[test]
fn themes_as_a_single_string_is_valid() {
    Site::fixture("themes-single-string").check().assert_clean();
}

#[test]
fn file_of_exactly_one_mebibyte_is_valid() {
    let mut text = fixture_text("valid", CASE_STUDY).into_bytes();
    let target = 1024 * 1024;
    while text.len() < target {
        let line = b"Padding the body of the case study to the size limit.\n";
        text.extend_from_slice(&line[..line.len().min(target - text.len())]);
    }
    Site::fixture("valid").write(CASE_STUDY, text).check().assert_clean();
}

// YAML syntax.

#[test]
fn tab_indentation() {
    Site::fixture("yaml-tab").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        15,
        Some(1),
        "yaml-tab",
        "replace the tab with spaces",
    );
}

#[test]
fn unclosed_quote() {
    Site::fixture("yaml-unclosed-quote")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 2, Some(8), "yaml-syntax", "a quoted value is not closed")
        .assert_diagnostic(CASE_STUDY, 2, Some(8), "yaml-syntax", "add the closing quote");
}

#[test]
fn duplicate_key() {
    Site::fixture("yaml-duplicate-key").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        7,
        Some(1),
        "duplicate-key",
        "`title` is given twice (first on line 2)",
    );
}

#[test]
fn alias_bomb_is_refused() {
    Site::fixture("yaml-alias-bomb").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        4,
        Some(11),
        "yaml-alias",
        "anchors and aliases",
    );
}

// Front matter.

#[test]
fn front_matter_never_closed() {
    Site::fixture("unclosed-front-matter").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        1,
        Some(1),
        "unclosed-front-matter",
        "never closed",
    );
}

#[test]
fn no_front_matter() {
    Site::fixture("no-front-matter").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        1,
        Some(1),
        "no-front-matter",
        "the first line must be `---`",
    );
}

// Fields.

#[test]
fn missing_required_field() {
    Site::fixture("missing-field").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        1,
        Some(1),
        "missing-field",
        "the required key `authority` is missing",
    );
}

#[test]
fn unknown_key_at_the_top_level() {
    Site::fixture("unknown-key-top").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        3,
        Some(1),
        "unknown-key",
        "did you mean `authority`?",
    );
}

#[test]
fn unknown_key_in_a_figure() {
    Site::fixture("unknown-key-figure")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 16, Some(5), "unknown-key", "not a key a figure can have")
        .assert_diagnostic(CASE_STUDY, 16, Some(5), "unknown-key", "did you mean `value`?");
}

#[test]
fn unknown_key_in_a_quote() {
    Site::fixture("unknown-key-quote")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 21, Some(5), "unknown-key", "not a key a quote can have")
        .assert_diagnostic(CASE_STUDY, 21, Some(5), "unknown-key", "did you mean `text`?");
}

#[test]
fn unknown_key_in_a_resource() {
    Site::fixture("unknown-key-resource")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 25, Some(5), "unknown-key", "not a key a resource can have")
        .assert_diagnostic(CASE_STUDY, 25, Some(5), "unknown-key", "did you mean `url`?");
}

#[test]
fn theme_not_in_the_vocabulary() {
    Site::fixture("unknown-theme")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 4, Some(23), "unknown-theme", "`relationship` is not a theme")
        .assert_diagnostic(CASE_STUDY, 4, Some(23), "unknown-theme", "did you mean `relationships`?");
}

#[test]
fn survey_not_in_the_vocabulary() {
    Site::fixture("unknown-survey").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        5,
        Some(9),
        "unknown-survey",
        "did you mean `your-life-beyond-care`?",
    );
}

#[test]
fn too_many_themes() {
    Site::fixture("too-many-themes").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        4,
        Some(58),
        "too-many-themes",
        "5 themes are listed; a case study has at most 4",
    );
}

#[test]
fn themes_given_as_a_number_points_at_themes() {
    Site::fixture("themes-number").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        4,
        Some(9),
        "wrong-type",
        "`themes` must be a theme name or a list of theme names",
    );
}

#[test]
fn percentage_over_100() {
    Site::fixture("percentage-over-100").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        16,
        Some(12),
        "percentage-range",
        "between 0 and 100",
    );
}

#[test]
fn percentage_given_as_a_string() {
    Site::fixture("percentage-string")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 16, Some(12), "not-a-number", "`value` is the text `92%`")
        .assert_diagnostic(CASE_STUDY, 16, Some(12), "not-a-number", "write `value: 92`");
}

#[test]
fn percentage_given_as_true_points_at_the_value() {
    Site::fixture("percentage-bool").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        16,
        Some(12),
        "wrong-type",
        "`value` must be a number",
    );
}

#[test]
fn comparison_without_its_label() {
    Site::fixture("comparison-without-label").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        17,
        Some(5),
        "missing-comparison-label",
        "add `comparison_label:`",
    );
}

#[test]
fn date_written_day_month_year() {
    Site::fixture("date-day-month-year")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 6, Some(7), "bad-date", "`31/12/2021` is not a date")
        .assert_diagnostic(CASE_STUDY, 6, Some(7), "bad-date", "write it as `2021-12-31`");
}

#[test]
fn empty_title() {
    Site::fixture("empty-title").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        2,
        Some(1),
        "empty-field",
        "`title` is empty",
    );
}

#[test]
fn summary_over_the_limit() {
    Site::fixture("summary-too-long").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        7,
        Some(10),
        "too-long",
        "`summary` is 327 characters long; the limit is 320",
    );
}

// Links and images in Markdown fields: found by `check`, as the build
// would find them, so a pull request shows them on their line.

#[test]
fn broken_links_and_images_without_text() {
    let text = fixture_text("valid", CASE_STUDY).replace(
        "  Leaving care workers celebrate achievements, big and small, with young people.",
        "  Leaving care workers celebrate achievements, big and small, with young people.\n  \
         See [the pledge](coventry-pledge.md) and ![](awards.jpg).",
    );
    Site::fixture("valid")
        .write(CASE_STUDY, text)
        .check()
        .assert_exit(1)
        .assert_count(3)
        .assert_diagnostic(CASE_STUDY, 12, Some(1), "broken-link", "there is no case study `coventry-pledge.md`")
        .assert_diagnostic(CASE_STUDY, 12, Some(1), "broken-link", "there is no file `case-studies/awards.jpg`")
        .assert_diagnostic(CASE_STUDY, 12, Some(1), "image-without-text", "the image `awards.jpg` has no description");
}

// Resources.

#[test]
fn resource_file_that_does_not_exist() {
    Site::fixture("resource-missing")
        .check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 25, Some(11), "resource-missing", "`slide.pdf` does not exist")
        .assert_diagnostic(CASE_STUDY, 25, Some(11), "resource-missing", "did you mean `slides.pdf`?");
}

#[test]
fn resource_path_escaping_content_through_dot_dot() {
    let site = Site::fixture("resource-dotdot");
    site.write("secret.txt", SECRET);
    site.check()
        .assert_exit(1)
        .assert_count(1)
        .assert_diagnostic(CASE_STUDY, 25, Some(11), "resource-outside-content", "leads outside the content folder")
        .assert_never_shown(SECRET);
    assert_no_format_shows(&site, SECRET);
}

#[cfg(unix)]
#[test]
fn resource_path_escaping_content_through_a_symbolic_link() {
    let site = Site::fixture("resource-symlink");
    site.write("secret.txt", SECRET).symlink("secret.txt", "content/case-studies/slides.pdf");
    site.check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        25,
        Some(11),
        "resource-outside-content",
        "leads outside the content folder",
    );
    assert_no_format_shows(&site, SECRET);
}

#[cfg(unix)]
#[test]
fn resource_through_a_linked_folder_outside_content_is_outside_content() {
    let site = Site::fixture("resource-linked-folder");
    site.write("private/slides.pdf", SECRET).symlink("private", "content/case-studies/coventry-celebrating-success");
    site.check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        25,
        Some(11),
        "resource-outside-content",
        "leads outside the content folder",
    );
    assert_no_format_shows(&site, SECRET);
}

#[cfg(unix)]
#[test]
fn case_study_linked_from_outside_content_is_not_read() {
    let site = Site::fixture("valid");
    let secret_case_study = fixture_text("valid", CASE_STUDY).replace("Contact the leaving care team", SECRET);
    site.write("elsewhere/secret.md", &secret_case_study)
        .symlink("elsewhere/secret.md", "content/case-studies/linked.md");
    site.check().assert_exit(1).assert_count(1).assert_file_diagnostic(
        "content/case-studies/linked.md",
        "outside-content",
        "was not read",
    );
    assert_no_format_shows(&site, SECRET);
}

#[test]
fn resource_with_both_file_and_url() {
    Site::fixture("resource-file-and-url").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        24,
        Some(5),
        "resource-file-and-url",
        "both `file` and `url`",
    );
}

#[test]
fn javascript_url() {
    Site::fixture("javascript-url").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        25,
        Some(10),
        "bad-url",
        "starting with https:// or http://",
    );
}

// Files.

#[test]
fn invalid_utf8_names_the_line_and_column() {
    // Columns count characters: `é` and `—` are one each.
    let text =
        fixture_text("valid", CASE_STUDY).replace("title: Celebrating care leavers' success", "title: Café — caf\u{0}");
    let bytes: Vec<u8> = text.bytes().map(|b| if b == 0 { 0xe9 } else { b }).collect();
    assert!(std::str::from_utf8(&bytes).is_err());
    Site::fixture("valid").write(CASE_STUDY, bytes).check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        2,
        Some(18),
        "invalid-utf8",
        "save the file with the UTF-8 encoding",
    );
}

#[test]
fn file_over_one_mebibyte() {
    let mut text = fixture_text("valid", CASE_STUDY);
    while text.len() <= 1024 * 1024 {
        text.push_str("Padding the body of the case study past the size limit.\n");
    }
    Site::fixture("valid").write(CASE_STUDY, text).check().assert_exit(1).assert_count(1).assert_file_diagnostic(
        CASE_STUDY,
        "file-too-large",
        "move large material into a resource file",
    );
}

#[test]
fn upper_case_file_name() {
    Site::fixture("upper-case-file-name").check().assert_exit(1).assert_count(1).assert_file_diagnostic(
        "content/case-studies/Coventry-Celebrating-Success.md",
        "bad-file-name",
        "rename the file to `coventry-celebrating-success.md`",
    );
}

#[test]
fn slugs_that_collide_name_both_files() {
    let upper = "content/case-studies/Coventry_Pledge.md";
    let lower = "content/case-studies/coventry-pledge.md";
    Site::fixture("slug-collision")
        .check()
        .assert_exit(1)
        .assert_count(3)
        .assert_file_diagnostic(upper, "bad-file-name", "rename the file to `coventry-pledge.md`")
        .assert_file_diagnostic(upper, "slug-collision", &format!("this file and `{lower}`"))
        .assert_file_diagnostic(lower, "slug-collision", &format!("this file and `{upper}`"))
        .assert_file_diagnostic(lower, "slug-collision", "`/case-studies/coventry-pledge/`");
}

#[test]
fn names_differing_only_in_case_collide() {
    let site = Site::fixture("valid");
    let text = fixture_text("valid", CASE_STUDY);
    site.write("content/case-studies/Coventry.md", &text).write("content/case-studies/coventry.md", &text);
    let names = std::fs::read_dir(site.root().join("content/case-studies"))
        .expect("list the case studies")
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().eq_ignore_ascii_case("coventry.md")))
        .count();
    if names < 2 {
        // A case-insensitive file system holds only one of the two.
        return;
    }
    site.check()
        .assert_exit(1)
        .assert_file_diagnostic(
            "content/case-studies/Coventry.md",
            "slug-collision",
            "`content/case-studies/coventry.md`",
        )
        .assert_file_diagnostic(
            "content/case-studies/coventry.md",
            "slug-collision",
            "`content/case-studies/Coventry.md`",
        );
}

// The other checks, one fixture each.

#[test]
fn empty_front_matter() {
    Site::fixture("empty-front-matter").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        1,
        Some(1),
        "empty-front-matter",
        "the front matter is empty",
    );
}

#[test]
fn nesting_too_deep() {
    Site::fixture("yaml-too-deep").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        4,
        Some(16),
        "yaml-too-deep",
        "nested too deeply",
    );
}

#[test]
fn theme_listed_twice() {
    Site::fixture("duplicate-theme").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        4,
        Some(23),
        "duplicate-theme",
        "`celebration` is listed twice",
    );
}

#[test]
fn comparison_label_without_a_comparison() {
    Site::fixture("comparison-label-without-comparison").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        17,
        Some(5),
        "missing-comparison",
        "without a `comparison` figure",
    );
}

#[test]
fn year_given_as_text() {
    Site::fixture("year-as-text").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        19,
        Some(11),
        "bad-year",
        "write the four-digit year, without quotes",
    );
}

#[test]
fn too_many_figures() {
    Site::fixture("too-many-figures").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        39,
        Some(5),
        "too-many-figures",
        "13 figures are listed",
    );
}

#[test]
fn resource_without_file_or_url() {
    Site::fixture("resource-without-target").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        24,
        Some(5),
        "resource-no-target",
        "needs a `file` or a `url`",
    );
}

#[test]
fn resource_path_with_backslashes() {
    Site::fixture("resource-backslash").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        25,
        Some(11),
        "bad-resource-path",
        "write `coventry-celebrating-success/slides.pdf`",
    );
}

#[test]
fn authority_without_letters() {
    Site::fixture("authority-without-letters").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        3,
        Some(12),
        "bad-authority",
        "no letters or digits",
    );
}

#[test]
fn markdown_extension_other_than_md() {
    Site::fixture("markdown-extension").check().assert_exit(1).assert_count(1).assert_file_diagnostic(
        "content/case-studies/coventry-celebrating-success.markdown",
        "bad-file-name",
        "rename the file to `coventry-celebrating-success.md`",
    );
}

// Regressions.

#[test]
fn tab_inside_a_block_scalar_does_not_hide_a_later_syntax_error() {
    Site::fixture("yaml-tab-in-text-then-unclosed-quote").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        22,
        Some(11),
        "yaml-syntax",
        "a quoted value is not closed",
    );
}

#[test]
fn tab_at_the_start_of_a_block_scalar_is_a_yaml_tab_error() {
    Site::fixture("yaml-tab-in-block-scalar").check().assert_exit(1).assert_count(1).assert_diagnostic(
        CASE_STUDY,
        9,
        Some(3),
        "yaml-tab",
        "replace the tab with spaces",
    );
}

// The site and the whole run.

#[test]
fn bad_site_yaml_exits_2() {
    Site::fixture("site-yaml-bad").check().assert_exit(2).assert_count(1).assert_diagnostic(
        "site.yaml",
        4,
        Some(11),
        "bad-url",
        "https://",
    );
}

#[test]
fn missing_site_yaml_exits_2() {
    Site::fixture("valid").remove("site.yaml").check().assert_exit(2).assert_count(1).assert_file_diagnostic(
        "site.yaml",
        "site-missing",
        "cannot read site.yaml",
    );
}

#[test]
fn problems_in_several_files_are_all_reported() {
    Site::fixture("several-files")
        .check()
        .assert_exit(1)
        .assert_count(3)
        .assert_diagnostic(
            "content/case-studies/bexley-homework-club.md",
            6,
            Some(7),
            "bad-date",
            "`2021-02-30` is not a real day",
        )
        .assert_diagnostic(
            "content/case-studies/coventry-pledge.md",
            3,
            Some(1),
            "unknown-key",
            "did you mean `authority`?",
        )
        .assert_diagnostic(
            "content/case-studies/oldham-supported-accommodation.md",
            16,
            Some(12),
            "percentage-range",
            "`value` is 192",
        )
        .assert_summary("checked 4 case studies: 3 errors in 3 files");
}

#[test]
fn a_malformed_glossary_group_in_site_yaml_is_reported_with_its_line() {
    let site = Site::fixture("valid");
    let mut yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let first = yaml.lines().count();
    yaml.push_str("search:\n  glossary:\n    add:\n      - id: our-offer\n        terms: [our offer]\n    disable: [no-such-group]\n");
    site.write("site.yaml", yaml);
    site.check()
        .assert_exit(2)
        .assert_diagnostic("site.yaml", first + 5, Some(17), "bad-glossary", "a glossary group needs 2 to 12 terms")
        .assert_diagnostic(
            "site.yaml",
            first + 6,
            Some(15),
            "bad-glossary",
            "`no-such-group` is not a built-in glossary group",
        );
}
