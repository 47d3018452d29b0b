//! Impact indicators (name, unit, baseline, target) and their dated
//! measures. Numbers are typed the French way (« 12,5 ») or the English
//! way (« 12.5 »); anything else is refused with an example. A measure is
//! dated between the project's start and today.

use std::borrow::Borrow;

use maillage_db::{project_life as db, projects::ProjectRow};
use time::Date;
use uuid::Uuid;

use super::{dated_field, text_field};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, projects::load};

/// The message of a number that cannot be read.
pub const NOT_A_NUMBER: &str = "Saisissez un nombre, par exemple 12,5.";

/// The largest number accepted, in absolute value: a measure of a public
/// service's impact is never bigger, and every number stays exact.
pub const MAX_NUMBER: f64 = 1e12;

/// The message of a number beyond [`MAX_NUMBER`].
pub const TOO_LARGE: &str = "Saisissez un nombre plus petit (au plus 1 000 000 000 000, en valeur absolue).";

/// A number typed in a form that is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadNumber {
    /// Not a number: « douze », « 12,5,1 ».
    NotANumber,
    /// Beyond [`MAX_NUMBER`].
    TooLarge,
}

impl BadNumber {
    /// What to fix, in French.
    pub fn message(self) -> &'static str {
        match self {
            BadNumber::NotANumber => NOT_A_NUMBER,
            BadNumber::TooLarge => TOO_LARGE,
        }
    }
}

/// Reads a number typed in a form: `Ok(None)` when empty; « 12,5 »,
/// « 12.5 », « 1 250,5 » (spaces as thousands separators) and a leading
/// minus are read; « douze », « 12,5,1 », « 1e400 » are not, nor a number
/// beyond [`MAX_NUMBER`].
pub fn parse_number(raw: &str) -> Result<Option<f64>, BadNumber> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| match c {
            ',' => '.',
            '−' => '-',
            c => c,
        })
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let digits = cleaned.strip_prefix(['-', '+']).unwrap_or(&cleaned);
    let separators = digits.chars().filter(|c| *c == '.').count();
    if separators > 1
        || digits.starts_with('.')
        || digits.ends_with('.')
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return Err(BadNumber::NotANumber);
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= MAX_NUMBER => Ok(Some(v)),
        Ok(v) if v.is_finite() => Err(BadNumber::TooLarge),
        _ => Err(BadNumber::NotANumber),
    }
}

/// A number the French way: « 12,5 », « 5 », « 1 250 », « −3,25 » (at
/// most two decimals, trailing zeros dropped). Any finite number is
/// written whole (no integer conversion that could saturate); an infinite
/// one, which validation never lets in, as « — ».
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    // Cents are exact below 2^53 / 100; beyond, the number is whole anyway.
    let rounded = if v.abs() < 1e13 {
        (v * 100.0).round() / 100.0
    } else {
        v.round()
    };
    let fixed = format!("{:.2}", rounded.abs());
    let (whole, decimals) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let decimals = decimals.trim_end_matches('0');
    let mut out = maillage_domain::text::group_digits(whole);
    if !decimals.is_empty() {
        out.push(',');
        out.push_str(decimals);
    }
    if rounded < 0.0 && (whole != "0" || !decimals.is_empty()) {
        format!("−{out}")
    } else {
        out
    }
}

/// An indicator with its measures, oldest first.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub measures: Vec<Measure>,
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub id: Uuid,
    pub measured_on: Date,
    pub value: f64,
    pub note: String,
}

impl Indicator {
    /// « 12,5 jours » (or « 12,5 » without a unit).
    /// (Takes a reference too: templates pass their values borrowed.)
    pub fn with_unit(&self, v: impl Borrow<f64>) -> String {
        let v = *v.borrow();
        if self.unit.is_empty() {
            format_number(v)
        } else {
            format!("{} {}", format_number(v), self.unit)
        }
    }

    pub fn baseline_label(&self) -> String {
        self.baseline
            .map(|v| self.with_unit(v))
            .unwrap_or_else(|| "non renseignée".into())
    }

    pub fn target_label(&self) -> String {
        self.target
            .map(|v| self.with_unit(v))
            .unwrap_or_else(|| "non renseigné".into())
    }

    pub fn latest(&self) -> Option<&Measure> {
        self.measures.last()
    }

    /// The gap of a value to the baseline: « +2 jours », « −7 jours », « égal ».
    pub fn vs_baseline(&self, v: impl Borrow<f64>) -> String {
        let v = *v.borrow();
        match self.baseline {
            None => "—".into(),
            Some(b) => self.gap(v - b),
        }
    }

    /// Where a value stands against the target, in words.
    pub fn vs_target(&self, v: impl Borrow<f64>) -> String {
        let v = *v.borrow();
        let Some(t) = self.target else {
            return "—".into();
        };
        if self.reaches_target(v) {
            return "objectif atteint".into();
        }
        format!("encore {} pour l’atteindre", self.with_unit((t - v).abs()))
    }

    /// Whether `v` reaches the target: below it when the target is under
    /// the baseline (a delay to reduce), above it otherwise.
    pub fn reaches_target(&self, v: f64) -> bool {
        match (self.baseline, self.target) {
            (_, None) => false,
            (Some(b), Some(t)) if t < b => v <= t,
            (_, Some(t)) => v >= t,
        }
    }

    fn gap(&self, d: f64) -> String {
        if (d * 100.0).round() == 0.0 {
            return "égal".into();
        }
        let sign = if d > 0.0 { "+" } else { "" };
        format!("{sign}{}", self.with_unit(d))
    }
}

/// Puts each measure under its indicator.
pub fn assemble(indicators: Vec<db::IndicatorRow>, measures: Vec<db::MeasureRow>) -> Vec<Indicator> {
    indicators
        .into_iter()
        .map(|i| Indicator {
            measures: measures
                .iter()
                .filter(|m| m.indicator_id == i.id)
                .map(|m| Measure {
                    id: m.id,
                    measured_on: m.measured_on,
                    value: m.value,
                    note: m.note.clone(),
                })
                .collect(),
            id: i.id,
            name: i.name,
            unit: i.unit,
            baseline: i.baseline,
            target: i.target,
        })
        .collect()
}

/// The indicator form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IndicatorInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub baseline: String,
    #[serde(default)]
    pub target: String,
}

/// The measure form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MeasureInput {
    #[serde(default)]
    pub measured_on: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub note: String,
}

fn number_field(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<f64> {
    match parse_number(raw) {
        Ok(v) => v,
        Err(bad) => {
            errors.add(field, bad.message());
            None
        }
    }
}

fn validate_indicator(input: &IndicatorInput, errors: &mut FieldErrors) -> db::IndicatorFields {
    let name = text_field(
        errors,
        "name",
        &input.name,
        200,
        Some("Nommez l’indicateur, par exemple « Délai moyen de réponse aux usagers »."),
    );
    let unit = text_field(errors, "unit", &input.unit, 40, None);
    let baseline = number_field(errors, "baseline", &input.baseline);
    let target = number_field(errors, "target", &input.target);
    db::IndicatorFields {
        name,
        unit,
        baseline,
        target,
    }
}

/// Adds an indicator to the project.
pub async fn add(ctx: &Ctx, actor: &Actor, project_id: Uuid, input: &IndicatorInput) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let mut errors = FieldErrors::new();
    let fields = validate_indicator(input, &mut errors);
    errors.into_result()?;
    let id = db::insert_indicator(tx.ex(), project_id, &fields).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.indicator.add",
        &project_id.to_string(),
        &fields.name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An indicator of a project the actor may edit (for the measure form).
pub async fn editable(
    ctx: &Ctx,
    actor: &Actor,
    project_id: Uuid,
    indicator_id: Uuid,
) -> CoreResult<(ProjectRow, Indicator)> {
    let mut conn = ctx.db.conn().await?;
    let (project, access) = load(conn.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let row = db::indicator(conn.ex(), project_id, indicator_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let measures = db::measures(conn.ex(), project_id).await?;
    let indicator = assemble(vec![row], measures).remove(0);
    Ok((project, indicator))
}

/// Removes an indicator and its measures.
pub async fn delete(ctx: &Ctx, actor: &Actor, project_id: Uuid, indicator_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    if db::delete_indicator(tx.ex(), project_id, indicator_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.indicator.delete",
        &indicator_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a dated measure to an indicator of the project.
pub async fn add_measure(
    ctx: &Ctx,
    actor: &Actor,
    project_id: Uuid,
    indicator_id: Uuid,
    input: &MeasureInput,
) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (project, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    db::indicator(tx.ex(), project_id, indicator_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let mut errors = FieldErrors::new();
    let date = dated_field(
        &mut errors,
        "measured_on",
        &input.measured_on,
        project.started_on,
        crate::dates::paris_today(),
        "La date de la mesure",
    );
    let value = match parse_number(&input.value) {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            errors.add("value", "Saisissez la valeur mesurée, par exemple 12,5.");
            None
        }
        Err(bad) => {
            errors.add("value", bad.message());
            None
        }
    };
    let note = text_field(&mut errors, "note", &input.note, 500, None);
    errors.into_result()?;
    let (Some(date), Some(value)) = (date, value) else {
        return Err(CoreError::Internal(anyhow::anyhow!("mesure validée incomplète")));
    };
    let id = db::insert_measure(tx.ex(), indicator_id, date, value, &note, actor.user_id()).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.measure.add",
        &indicator_id.to_string(),
        &format_number(value),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a measure of one of the project's indicators.
pub async fn delete_measure(ctx: &Ctx, actor: &Actor, project_id: Uuid, measure_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    if db::delete_measure(tx.ex(), project_id, measure_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.measure.delete",
        &measure_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_the_french_and_the_english_way() {
        assert_eq!(parse_number("12,5"), Ok(Some(12.5)));
        assert_eq!(parse_number(" 12.5 "), Ok(Some(12.5)));
        assert_eq!(parse_number("1 250,5"), Ok(Some(1250.5)));
        assert_eq!(parse_number("−3"), Ok(Some(-3.0)));
        assert_eq!(parse_number(""), Ok(None));
        for bad in ["douze", "12,5,1", "1e400", ",5", "12.", "NaN", "inf", "1e3"] {
            assert_eq!(parse_number(bad), Err(BadNumber::NotANumber), "{bad}");
        }
        assert_eq!(parse_number("1 000 000 000 000"), Ok(Some(1e12)));
        assert_eq!(parse_number("-1000000000000"), Ok(Some(-1e12)));
        for huge in ["1000000000000,01", "100000000000000000000000", "−2000000000000"] {
            assert_eq!(parse_number(huge), Err(BadNumber::TooLarge), "{huge}");
        }
    }

    #[test]
    fn numbers_are_written_the_french_way() {
        assert_eq!(format_number(12.5), "12,5");
        assert_eq!(format_number(5.0), "5");
        assert_eq!(format_number(1250.0), "1\u{202f}250");
        assert_eq!(format_number(-3.25), "−3,25");
        assert_eq!(format_number(0.999), "1");
        assert_eq!(format_number(-0.001), "0");
        assert_eq!(format_number(0.5), "0,5");
        assert_eq!(format_number(1e12), "1\u{202f}000\u{202f}000\u{202f}000\u{202f}000");
        // Beyond i64: written whole, not saturated.
        assert_eq!(format_number(1e23).replace('\u{202f}', ""), format!("{:.0}", 1e23));
        assert_eq!(format_number(f64::INFINITY), "—");
    }

    #[test]
    fn a_target_under_the_baseline_is_reached_from_above() {
        let i = Indicator {
            id: Uuid::nil(),
            name: "Délai".into(),
            unit: "jours".into(),
            baseline: Some(12.0),
            target: Some(5.0),
            measures: vec![],
        };
        assert!(i.reaches_target(4.5));
        assert!(!i.reaches_target(7.0));
        assert_eq!(i.vs_baseline(7.0), "−5 jours");
        assert_eq!(i.vs_target(7.0), "encore 2 jours pour l’atteindre");
    }
}
