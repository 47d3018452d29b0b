//! Yearly statistics of the schools and of the network (`/ecole/statistiques`):
//! people trained, half-days and hours, by format and by category, completion,
//! satisfaction, and who is due for a mandatory path but not trained.
//!
//! Definitions, written once here (the page and the CSV say the same):
//! - **trained**: attended (present) at least one half-day in the year;
//! - **hours**: the sum of the attended half-days' durations (their times);
//! - **completion**: among the people enrolled in sessions that ended in the
//!   year, the share who completed the module through that session;
//! - **satisfaction**: the average of the 1–5 scores of the « à chaud »
//!   questionnaires of the sessions that ended in the year (anonymous, so
//!   counted by the sessions' school, never by the person's organisation).

use std::collections::{BTreeMap, HashSet};

use maillage_db::statistics::{self as db, Scope as DbScope};
use maillage_domain::{catalogue::Format, category::Category};
use time::{Date, Month};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx,
    organisations::Organisation,
    policy::{self, Action},
    schools::{self, School},
};

/// Whose figures the viewer asked for.
#[derive(Debug, Clone)]
pub enum Scope {
    Network,
    Organisation(Organisation),
    School(School),
}

impl Scope {
    /// The value of the `portee` parameter that selects it.
    pub fn key(&self) -> String {
        match self {
            Scope::Network => "reseau".to_owned(),
            Scope::Organisation(o) => format!("organisation-{}", o.siren),
            Scope::School(s) => format!("ecole-{}", s.id),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Scope::Network => "Tout le réseau".to_owned(),
            Scope::Organisation(o) => o.name.clone(),
            Scope::School(s) => s.name.clone(),
        }
    }

    /// The organisations whose managers are counted.
    fn organisations(&self) -> Option<Vec<Uuid>> {
        match self {
            Scope::Network => None,
            Scope::Organisation(o) => Some(vec![o.id]),
            Scope::School(s) => Some(s.organisations.iter().map(|o| o.id).collect()),
        }
    }

    fn db(&self) -> DbScope {
        match self {
            Scope::Network => DbScope::Network,
            Scope::Organisation(o) => DbScope::People(vec![o.id]),
            Scope::School(s) => DbScope::School(s.id),
        }
    }

    fn action_orgs(&self) -> Vec<Uuid> {
        self.organisations().unwrap_or_default()
    }
}

/// One line of a breakdown (a format, a category, a month).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    /// People trained.
    pub people: i64,
    pub half_days: i64,
    pub hours: f64,
}

/// Trained people of a category against the managers of that category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLine {
    pub label: String,
    pub managers: i64,
    pub trained: i64,
}

impl CategoryLine {
    /// Percent of the managers trained, when there are managers.
    pub fn share(&self) -> Option<i64> {
        share(self.trained, self.managers)
    }
}

/// Due for a mandatory path and not trained (attended nothing in the year).
#[derive(Debug, Clone, PartialEq)]
pub struct DueLine {
    pub path_id: Uuid,
    pub path_title: String,
    pub concerned: i64,
    pub not_trained: i64,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub year: i32,
    pub scope: Scope,
    /// Managers (directory profiles) of the scope's organisations; for a
    /// school, of the organisations it belongs to; for the network, all.
    pub managers: i64,
    /// People trained in the year (for a school: in its sessions).
    pub trained: i64,
    /// Of whom managers of the scope's organisations.
    pub trained_managers: i64,
    pub half_days: i64,
    pub hours: f64,
    pub sessions: i64,
    pub by_format: Vec<Line>,
    pub by_category: Vec<CategoryLine>,
    pub by_month: Vec<Line>,
    /// People enrolled in sessions that ended, and how many completed.
    pub finished: i64,
    pub completed: i64,
    /// Average « à chaud » score and the number of scores behind it.
    pub satisfaction: Option<(f64, i64)>,
    pub due: Vec<DueLine>,
}

impl Report {
    pub fn trained_share(&self) -> Option<i64> {
        share(self.trained_managers, self.managers)
    }

    pub fn completion_share(&self) -> Option<i64> {
        share(self.completed, self.finished)
    }

    /// Training days (two half-days make a day).
    pub fn days(&self) -> f64 {
        self.half_days as f64 / 2.0
    }
}

/// `part / whole` in whole percent, rounded to the nearest.
pub fn share(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

/// The scopes a viewer may ask for: the network for the coordinator and the
/// people who manage an organisation (org-admin, HR); each organisation they
/// administer or follow as HR; each school they manage. Empty: no statistics.
pub async fn scopes(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<Scope>> {
    let mut out = Vec::new();
    if policy::allows(actor, &Action::ViewStatistics { organisations: &[] }) {
        out.push(Scope::Network);
    }
    for school in schools::all(ctx).await? {
        let orgs: Vec<Uuid> = school.organisations.iter().map(|o| o.id).collect();
        if policy::allows(actor, &Action::ViewStatistics { organisations: &orgs }) {
            for o in &school.organisations {
                if policy::allows(actor, &Action::ViewStatistics { organisations: &[o.id] })
                    && !out.iter().any(|s| matches!(s, Scope::Organisation(x) if x.id == o.id))
                {
                    out.push(Scope::Organisation(o.clone()));
                }
            }
            out.push(Scope::School(school));
        }
    }
    // Organisations without a school (HR of a member without its own school).
    if let Some(user) = actor.user() {
        let mut conn = ctx.db.conn().await?;
        let mut ids: Vec<Uuid> = user.roles.iter().filter_map(|(_, o)| *o).collect();
        ids.sort_unstable();
        ids.dedup();
        for row in maillage_db::organisations::by_ids(conn.ex(), &ids).await? {
            let o = Organisation::from(row);
            if policy::allows(actor, &Action::ViewStatistics { organisations: &[o.id] })
                && !out.iter().any(|s| matches!(s, Scope::Organisation(x) if x.id == o.id))
            {
                out.push(Scope::Organisation(o));
            }
        }
    } else {
        return Err(CoreError::Unauthenticated);
    }
    // Network first, then schools, then organisations, each by name.
    out.sort_by_key(|s| {
        let rank = match s {
            Scope::Network => 0,
            Scope::School(_) => 1,
            Scope::Organisation(_) => 2,
        };
        (rank, maillage_domain::text::fold(&s.label()))
    });
    Ok(out)
}

/// The scope named by `key` among those the viewer may ask for; the first
/// one when `key` is empty. A scope the viewer may not see: 403 (schools and
/// organisations are public, their existence is no secret).
pub async fn scope(ctx: &Ctx, actor: &Actor, key: &str) -> CoreResult<(Scope, Vec<Scope>)> {
    let all = scopes(ctx, actor).await?;
    if all.is_empty() {
        return Err(CoreError::Forbidden);
    }
    let chosen = if key.is_empty() {
        all[0].clone()
    } else {
        all.iter()
            .find(|s| s.key() == key)
            .cloned()
            .ok_or(CoreError::Forbidden)?
    };
    Ok((chosen, all))
}

/// The years offered, most recent first: the current year and every year
/// from the first session to the last.
pub async fn years(ctx: &Ctx) -> CoreResult<Vec<i32>> {
    let mut conn = ctx.db.conn().await?;
    let this = maillage_db::now().year();
    let (first, last) = match db::span(conn.ex()).await? {
        Some((a, b)) => (a.year().min(this), b.year().max(this)),
        None => (this, this),
    };
    Ok((first..=last).rev().collect())
}

/// The report of `year` for `scope` (which the caller got from [`scope`]).
pub async fn report(ctx: &Ctx, actor: &Actor, scope: Scope, year: i32) -> CoreResult<Report> {
    policy::require(
        actor,
        &Action::ViewStatistics {
            organisations: &scope.action_orgs(),
        },
    )?;
    let from = Date::from_calendar_date(year, Month::January, 1).map_err(|_| CoreError::NotFound)?;
    let to = Date::from_calendar_date(year, Month::December, 31).map_err(|_| CoreError::NotFound)?;
    let mut conn = ctx.db.conn().await?;
    let attended = db::attended(conn.ex(), &scope.db(), from, to).await?;
    // Only sessions already over count for completion.
    let finished = db::finished(conn.ex(), &scope.db(), from, to.min(maillage_db::now().date())).await?;
    let orgs = scope.organisations();
    let orgs_for_due = orgs.clone();
    let headcount = db::headcount(conn.ex(), orgs.as_deref()).await?;
    let school = match &scope {
        Scope::School(s) => Some(s.id),
        _ => None,
    };
    // Satisfaction is per school of the sessions: for an organisation, its
    // schools' sessions.
    let scores = match &scope {
        Scope::Organisation(o) => {
            let mut all = Vec::new();
            for s in schools::of_organisation(ctx, o.id).await? {
                all.extend(db::hot_scores(conn.ex(), Some(s.id), from, to).await?);
            }
            all
        }
        _ => db::hot_scores(conn.ex(), school, from, to).await?,
    };
    drop(conn);

    let in_scope_orgs: Option<HashSet<Uuid>> = orgs.map(|v| v.into_iter().collect());
    let is_manager = |org: Option<Uuid>| match (&in_scope_orgs, org) {
        (None, Some(_)) => true,
        (Some(set), Some(o)) => set.contains(&o),
        _ => false,
    };

    let mut people = HashSet::new();
    let mut managers_trained = HashSet::new();
    let mut sessions = HashSet::new();
    let mut hours = 0.0;
    let mut by_format: BTreeMap<usize, (HashSet<Uuid>, i64, f64)> = BTreeMap::new();
    let mut by_month: BTreeMap<u8, (HashSet<Uuid>, i64, f64)> = BTreeMap::new();
    let mut by_category: BTreeMap<Option<Category>, HashSet<Uuid>> = BTreeMap::new();
    for r in &attended {
        let h = crate::dates::hours_between(&r.starts_at, &r.ends_at);
        people.insert(r.user_id);
        sessions.insert(r.session_id);
        hours += h;
        let format_rank = Format::parse(&r.format)
            .and_then(|f| Format::ALL.iter().position(|x| *x == f))
            .unwrap_or(usize::MAX);
        let e = by_format.entry(format_rank).or_default();
        e.0.insert(r.user_id);
        e.1 += 1;
        e.2 += h;
        let e = by_month.entry(r.day.month() as u8).or_default();
        e.0.insert(r.user_id);
        e.1 += 1;
        e.2 += h;
        if is_manager(r.organisation_id) {
            managers_trained.insert(r.user_id);
            let cat = r.category.as_deref().and_then(|c| Category::parse(c).ok().flatten());
            by_category.entry(cat).or_default().insert(r.user_id);
        }
    }

    let line = |label: String, (who, half_days, hours): &(HashSet<Uuid>, i64, f64)| Line {
        label,
        people: who.len() as i64,
        half_days: *half_days,
        hours: *hours,
    };
    let by_format = by_format
        .iter()
        .map(|(rank, v)| {
            let label = Format::ALL
                .get(*rank)
                .map(|f| f.label().to_owned())
                .unwrap_or_else(|| "Autre".to_owned());
            line(label, v)
        })
        .collect();
    let by_month = (1..=12u8)
        .map(|m| {
            let empty = (HashSet::new(), 0, 0.0);
            line(
                crate::dates::MONTHS[m as usize - 1].to_owned(),
                by_month.get(&m).unwrap_or(&empty),
            )
        })
        .collect();

    let mut managers = 0;
    let mut managers_by_cat: BTreeMap<Option<Category>, i64> = BTreeMap::new();
    for h in &headcount {
        managers += h.people;
        let cat = h.category.as_deref().and_then(|c| Category::parse(c).ok().flatten());
        *managers_by_cat.entry(cat).or_default() += h.people;
    }
    let cats: Vec<Option<Category>> = Category::ALL.iter().copied().map(Some).chain([None]).collect();
    let by_category = cats
        .into_iter()
        .filter_map(|c| {
            let managers = managers_by_cat.get(&c).copied().unwrap_or(0);
            let trained = by_category.get(&c).map_or(0, |s| s.len() as i64);
            (managers > 0 || trained > 0).then(|| CategoryLine {
                label: c.map_or_else(|| "Non renseignée".to_owned(), |c| format!("Catégorie {}", c.as_str())),
                managers,
                trained,
            })
        })
        .collect();

    let satisfaction = (!scores.is_empty()).then(|| {
        let n = scores.len() as i64;
        (scores.iter().map(|s| s.score).sum::<i64>() as f64 / n as f64, n)
    });

    // Only the paths the viewer may see (the network's figures must not
    // name another organisation's private path).
    let visible: HashSet<Uuid> = crate::paths::list(ctx, actor)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut due = due_not_trained(ctx, orgs_for_due.as_deref(), &people).await?;
    due.retain(|d| visible.contains(&d.path_id));

    Ok(Report {
        year,
        managers,
        trained: people.len() as i64,
        trained_managers: managers_trained.len() as i64,
        half_days: attended.len() as i64,
        hours,
        sessions: sessions.len() as i64,
        by_format,
        by_category,
        by_month,
        finished: finished.len() as i64,
        completed: finished.iter().filter(|f| f.completed).count() as i64,
        satisfaction,
        due,
        scope,
    })
}

/// For each mandatory path of the scope's schools: the people it concerns
/// today (they took their post less than `rule_months` months ago) and how
/// many of them attended nothing in the year.
async fn due_not_trained(ctx: &Ctx, orgs: Option<&[Uuid]>, trained: &HashSet<Uuid>) -> CoreResult<Vec<DueLine>> {
    let mut conn = ctx.db.conn().await?;
    let rows = db::mandatory(conn.ex(), orgs).await?;
    let today = maillage_db::now().date();
    let mut out: Vec<DueLine> = Vec::new();
    let mut seen = HashSet::new();
    for r in rows {
        if !within_months(r.post_started_on, r.rule_months, today) || !seen.insert((r.path_id, r.profile_id)) {
            continue;
        }
        let not_trained = r.user_id.is_none_or(|u| !trained.contains(&u));
        match out.last_mut() {
            Some(d) if d.path_id == r.path_id => {
                d.concerned += 1;
                d.not_trained += i64::from(not_trained);
            }
            _ => out.push(DueLine {
                path_id: r.path_id,
                path_title: r.path_title,
                concerned: 1,
                not_trained: i64::from(not_trained),
            }),
        }
    }
    Ok(out)
}

/// Whether `since` is less than `months` months before `today` (the rule of
/// mandatory paths, see `paths`).
fn within_months(since: Date, months: i64, today: Date) -> bool {
    since > crate::paths::add_months(today, -months)
}

/// The report as CSV rows (indicator; value), for the export.
pub fn csv(report: &Report) -> Vec<u8> {
    let fmt = |v: f64| format!("{v:.1}").replace('.', ",");
    let pct = |v: Option<i64>| v.map(|v| format!("{v} %")).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = vec![
        vec!["Année".into(), "".into(), report.year.to_string()],
        vec!["Périmètre".into(), "".into(), report.scope.label()],
        vec!["Encadrants du périmètre".into(), "".into(), report.managers.to_string()],
        vec!["Personnes formées".into(), "".into(), report.trained.to_string()],
        vec![
            "Encadrants du périmètre formés".into(),
            "".into(),
            report.trained_managers.to_string(),
        ],
        vec![
            "Part des encadrants formés".into(),
            "".into(),
            pct(report.trained_share()),
        ],
        vec!["Sessions".into(), "".into(), report.sessions.to_string()],
        vec!["Demi-journées suivies".into(), "".into(), report.half_days.to_string()],
        vec!["Jours de formation suivis".into(), "".into(), fmt(report.days())],
        vec!["Heures de formation suivies".into(), "".into(), fmt(report.hours)],
        vec![
            "Modules validés".into(),
            "".into(),
            format!("{} sur {}", report.completed, report.finished),
        ],
        vec!["Taux de validation".into(), "".into(), pct(report.completion_share())],
        vec![
            "Satisfaction à chaud (sur 5)".into(),
            "".into(),
            report.satisfaction.map(|(a, _)| fmt(a)).unwrap_or_default(),
        ],
    ];
    for l in &report.by_format {
        rows.push(vec![
            "Personnes formées par format".into(),
            l.label.clone(),
            l.people.to_string(),
        ]);
        rows.push(vec!["Heures par format".into(), l.label.clone(), fmt(l.hours)]);
    }
    for l in &report.by_category {
        rows.push(vec![
            "Encadrants par catégorie".into(),
            l.label.clone(),
            l.managers.to_string(),
        ]);
        rows.push(vec![
            "Formés par catégorie".into(),
            l.label.clone(),
            l.trained.to_string(),
        ]);
    }
    for l in &report.by_month {
        rows.push(vec![
            "Personnes formées par mois".into(),
            l.label.clone(),
            l.people.to_string(),
        ]);
    }
    for d in &report.due {
        rows.push(vec![
            "Concernés par un parcours obligatoire".into(),
            d.path_title.clone(),
            d.concerned.to_string(),
        ]);
        rows.push(vec![
            "Concernés non formés".into(),
            d.path_title.clone(),
            d.not_trained.to_string(),
        ]);
    }
    crate::directory::export::csv(&["Indicateur", "Détail", "Valeur"], rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_shares() {
        use crate::dates::hours_between;
        assert_eq!(hours_between("09:00", "12:30"), 3.5);
        assert_eq!(hours_between("13:30", "17:00"), 3.5);
        assert_eq!(hours_between("17:00", "09:00"), 0.0);
        assert_eq!(hours_between("9h", "12:00"), 0.0);
        assert_eq!(share(150, 230), Some(65));
        assert_eq!(share(1, 3), Some(33));
        assert_eq!(share(2, 3), Some(67));
        assert_eq!(share(5, 0), None);
    }
}
