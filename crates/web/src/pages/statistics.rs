//! `/ecole/statistiques`: the yearly training figures of a school, an
//! organisation or the whole network, as key figures, accessible SVG charts
//! each followed by the same data as a table, and a CSV export.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use maillage_core::statistics::{self, Report, Scope};
use serde::Deserialize;

use crate::{
    AppState,
    charts::{self, Bar},
    error::WebError,
    forms::{download, page, query_string},
    layout::{Caller, Layout},
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatsQuery {
    pub annee: String,
    pub portee: String,
}

#[derive(Template)]
#[template(path = "statistics/show.html")]
struct ShowPage {
    layout: Layout,
    r: Report,
    scopes: Vec<Scope>,
    years: Vec<i32>,
    csv_href: String,
    month_chart: String,
    format_chart: String,
    category_chart: String,
}

/// French numbers: one decimal at most, a comma.
pub fn num(v: impl std::borrow::Borrow<f64>) -> String {
    let s = format!("{:.1}", v.borrow());
    s.strip_suffix(".0").unwrap_or(&s).replace('.', ",")
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

async fn load(
    state: &AppState,
    caller: &maillage_core::Actor,
    q: &StatsQuery,
) -> Result<(Report, Vec<Scope>, Vec<i32>), WebError> {
    let (scope, scopes) = statistics::scope(&state.ctx, caller, q.portee.trim()).await?;
    let years = statistics::years(&state.ctx).await?;
    let year = match q.annee.trim() {
        "" => years
            .first()
            .copied()
            .unwrap_or_else(|| maillage_core::enrolment::today().year()),
        y => y
            .parse::<i32>()
            .ok()
            .filter(|y| years.contains(y))
            .ok_or_else(WebError::not_found)?,
    };
    let r = statistics::report(&state.ctx, caller, scope, year).await?;
    Ok((r, scopes, years))
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<StatsQuery>,
) -> Result<Response, WebError> {
    let (r, scopes, years) = load(&state, &caller, &q).await?;
    let month_chart = charts::bars(
        "par-mois",
        &format!("Personnes formées par mois en {}", r.year),
        "Les mêmes données figurent dans le tableau qui suit.",
        &r.by_month
            .iter()
            .map(|l| Bar {
                label: l.label.clone(),
                value: l.people as f64,
                text: plural(l.people, "personne", "personnes"),
            })
            .collect::<Vec<_>>(),
    );
    let format_chart = charts::bars(
        "par-format",
        &format!("Heures de formation suivies par format en {}", r.year),
        "Les mêmes données figurent dans le tableau qui suit.",
        &r.by_format
            .iter()
            .map(|l| Bar {
                label: l.label.clone(),
                value: l.hours,
                text: format!("{} h", num(l.hours)),
            })
            .collect::<Vec<_>>(),
    );
    let category_chart = charts::bars(
        "par-categorie",
        &format!("Part des encadrants formés par catégorie en {}", r.year),
        "Les mêmes données figurent dans le tableau qui suit.",
        &r.by_category
            .iter()
            .filter_map(|l| {
                l.share().map(|s| Bar {
                    label: l.label.clone(),
                    value: s as f64,
                    text: format!("{s} %"),
                })
            })
            .collect::<Vec<_>>(),
    );
    let year = r.year.to_string();
    let portee = r.scope.key();
    page(ShowPage {
        layout,
        csv_href: format!(
            "/ecole/statistiques.csv?{}",
            query_string(&[("annee", &year), ("portee", &portee)])
        ),
        r,
        scopes,
        years,
        month_chart,
        format_chart,
        category_chart,
    })
}

pub async fn export_csv(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(q): Query<StatsQuery>,
) -> Result<Response, WebError> {
    let (r, _, _) = load(&state, &caller, &q).await?;
    let name = format!("statistiques-{}.csv", r.year);
    Ok(download(statistics::csv(&r), "text/csv; charset=utf-8", &name))
}
