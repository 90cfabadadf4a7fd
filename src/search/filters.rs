//! Filter values as people write them: a theme, authority or survey by its
//! slug or its name in any case ("Hull", "hull", "Housing and
//! accommodation"), a year as digits. A value that names nothing is an
//! error with the nearest value that does.

use super::query::Filters;
use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// Filter values as given, before they are matched to the site's.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub themes: Vec<String>,
    pub authority: Option<String>,
    pub survey: Option<String>,
    pub year: Option<String>,
}

/// The site's filter values: `(slug, name)` of each theme, authority (of
/// its published case studies) and survey, and its years.
struct Values {
    themes: Vec<(String, String)>,
    authorities: Vec<(String, String)>,
    surveys: Vec<(String, String)>,
    years: Vec<String>,
}

impl Values {
    fn of(site: &Site, drafts: bool) -> Values {
        let published = || site.case_studies.iter().filter(|c| drafts || !c.draft);
        let mut authorities: Vec<(String, String)> =
            published().map(|c| (c.authority_slug.clone(), c.authority.clone())).collect();
        authorities.sort();
        authorities.dedup_by(|a, b| a.0 == b.0);
        let mut years: Vec<String> = published().map(|c| c.date.year.to_string()).collect();
        years.sort();
        years.dedup();
        Values {
            themes: site.config.themes.values().map(|t| (t.slug.clone(), t.label.clone())).collect(),
            authorities,
            surveys: site.config.surveys.values().map(|s| (s.slug.clone(), s.label.clone())).collect(),
            years,
        }
    }
}

/// The filters `given` names, as slugs, or a problem for each value that
/// names nothing.
pub fn resolve(site: &Site, given: &Given) -> Result<Filters, Vec<Diagnostic>> {
    let values = Values::of(site, false);
    let mut problems = Vec::new();
    let mut pick = |flag: &str, value: &str, list: &[(String, String)]| -> Option<String> {
        let found = matching(value, list);
        if found.is_none() {
            problems.push(unknown(flag, value, list));
        }
        found
    };
    let themes: Vec<String> = given.themes.iter().filter_map(|t| pick("--theme", t, &values.themes)).collect();
    let authority = given.authority.as_deref().and_then(|a| pick("--authority", a, &values.authorities));
    let survey = given.survey.as_deref().and_then(|s| pick("--survey", s, &values.surveys));
    let years: Vec<(String, String)> = values.years.iter().map(|y| (y.clone(), y.clone())).collect();
    let year = given.year.as_deref().and_then(|y| pick("--year", y, &years)).and_then(|y| y.parse().ok());
    if problems.is_empty() {
        Ok(Filters { themes, authority, survey, year })
    } else {
        Err(problems)
    }
}

/// The slug `value` names: a slug or name, compared without case, or the
/// slug of what it would be written as.
fn matching(value: &str, list: &[(String, String)]) -> Option<String> {
    let wanted = value.trim().to_lowercase();
    let as_slug = crate::slug::slugify(value);
    list.iter()
        .find(|(slug, name)| *slug == wanted || name.to_lowercase() == wanted)
        .or_else(|| list.iter().find(|(slug, _)| *slug == as_slug))
        .map(|(slug, _)| slug.clone())
}

fn unknown(flag: &str, value: &str, list: &[(String, String)]) -> Diagnostic {
    let names: Vec<String> = list.iter().map(|(_, name)| name.to_lowercase()).collect();
    let help = match crate::suggest::nearest(value, names.iter().map(String::as_str)) {
        Some(near) => {
            let (slug, name) = list.iter().find(|(_, n)| n.to_lowercase() == near).expect("a name of the list");
            format!("did you mean `{name}` ({slug})?")
        }
        None if list.is_empty() => "the site has none".to_string(),
        None => {
            let shown: Vec<String> = list.iter().take(20).map(|(_, n)| format!("`{n}`")).collect();
            let more = if list.len() > 20 { format!(" and {} more", list.len() - 20) } else { String::new() };
            format!("the site has {}{more}", shown.join(", "))
        }
    };
    Diagnostic::file_error(flag, "unknown-filter", format!("`{value}` names no {} of the site", &flag[2..]))
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Vec<(String, String)> {
        vec![("hull".into(), "Hull".into()), ("north-east-lincolnshire".into(), "North East Lincolnshire".into())]
    }

    #[test]
    fn names_and_slugs_match_in_any_case() {
        assert_eq!(matching("Hull", &list()).as_deref(), Some("hull"));
        assert_eq!(matching("HULL", &list()).as_deref(), Some("hull"));
        assert_eq!(matching("north east lincolnshire", &list()).as_deref(), Some("north-east-lincolnshire"));
        assert_eq!(matching("North-East Lincolnshire", &list()).as_deref(), Some("north-east-lincolnshire"));
        assert_eq!(matching("Hul", &list()), None);
    }

    #[test]
    fn an_unknown_value_suggests_the_nearest() {
        let problem = unknown("--authority", "Hul", &list());
        assert_eq!(problem.message, "`Hul` names no authority of the site");
        assert_eq!(problem.help.as_deref(), Some("did you mean `Hull` (hull)?"));
    }
}
