//! A profile as one viewer may see it: every field the viewer may not see is
//! `None` here, so pages, API, CSV and vCard cannot show it by mistake.

use maillage_db::profiles::{self as db, ProfileRow, ProfileThemeRow};
use maillage_domain::category::Category;
use time::OffsetDateTime;
use uuid::Uuid;

use super::visibility::{Visibility, sees};
use crate::{Actor, CoreError, CoreResult, Ctx, policy};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ThemeRef {
    pub id: Uuid,
    pub name: String,
}

/// The visibility chosen for each field; shown only to the person and the
/// administrators.
#[derive(Debug, Clone)]
pub struct Settings {
    pub function: Visibility,
    pub unit: Visibility,
    pub category: Visibility,
    pub cadre: Visibility,
    pub email: Visibility,
    pub phone: Visibility,
    pub bio: Visibility,
    pub languages: Visibility,
    pub themes: Visibility,
    pub photo: Visibility,
    pub listed: Visibility,
    pub training: Visibility,
    pub alumni: Visibility,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub organisation_siren: String,
    pub organisation_kind: String,
    pub first_name: String,
    pub last_name: String,
    pub function: Option<String>,
    pub direction: Option<String>,
    pub service: Option<String>,
    pub category: Option<Category>,
    pub cadre: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub bio: Option<String>,
    pub languages: Vec<String>,
    pub expertise: Vec<ThemeRef>,
    pub interests: Vec<ThemeRef>,
    pub has_photo: bool,
    pub updated_at: OffsetDateTime,
    /// The viewer's tier (2: the person or an administrator).
    pub tier: i32,
    /// Whether the viewer is the person.
    pub is_me: bool,
    /// Whether an account is linked (the person claimed the profile).
    pub claimed: bool,
    /// Per-field visibility, for the person and the administrators only.
    pub settings: Option<Settings>,
    /// When the person acknowledged the directory's information text.
    pub consented_at: Option<OffsetDateTime>,
    /// Date of taking the post and line manager: administrative, for the
    /// person and the administrators only.
    pub post_started_on: Option<time::Date>,
    pub manager_id: Option<Uuid>,
    /// The person's account when the viewer may see their training record
    /// (`training_vis <= tier`), else `None`.
    pub training_user: Option<Uuid>,
    /// Whether the viewer may see the person's promotions as alumni
    /// (`alumni_vis <= tier`).
    pub shows_alumni: bool,
}

fn shown(tier: i32, vis: i32, value: &str) -> Option<String> {
    let v = value.trim();
    (sees(tier, vis) && !v.is_empty()).then(|| v.to_owned())
}

impl Profile {
    /// Builds the viewer's view of a row (`row.tier` is theirs) and its themes.
    pub fn from_row(row: ProfileRow, themes: &[ProfileThemeRow], me: Option<Uuid>) -> Profile {
        let t = row.tier;
        let theme_list = |kind: &str| -> Vec<ThemeRef> {
            if !sees(t, row.themes_vis) {
                return Vec::new();
            }
            themes
                .iter()
                .filter(|x| x.profile_id == row.id && x.kind == kind)
                .map(|x| ThemeRef {
                    id: x.theme_id,
                    name: x.name.clone(),
                })
                .collect()
        };
        let settings = (t >= Visibility::Private.level()).then(|| Settings {
            function: Visibility::from_level(row.function_vis),
            unit: Visibility::from_level(row.unit_vis),
            category: Visibility::from_level(row.category_vis),
            cadre: Visibility::from_level(row.cadre_vis),
            email: Visibility::from_level(row.email_vis),
            phone: Visibility::from_level(row.phone_vis),
            bio: Visibility::from_level(row.bio_vis),
            languages: Visibility::from_level(row.languages_vis),
            themes: Visibility::from_level(row.themes_vis),
            photo: Visibility::from_level(row.photo_vis),
            listed: Visibility::from_level(row.listed),
            training: Visibility::from_level(row.training_vis),
            alumni: Visibility::from_level(row.alumni_vis),
        });
        Profile {
            expertise: theme_list("expertise"),
            interests: theme_list("interest"),
            id: row.id,
            organisation_id: row.organisation_id,
            function: shown(t, row.function_vis, &row.function_title),
            direction: shown(t, row.unit_vis, &row.direction),
            service: shown(t, row.unit_vis, &row.service),
            category: row
                .category
                .as_deref()
                .filter(|_| sees(t, row.category_vis))
                .and_then(|c| Category::parse(c).ok().flatten()),
            cadre: shown(t, row.cadre_vis, &row.cadre),
            email: shown(t, row.email_vis, row.email.as_deref().unwrap_or("")),
            phone: shown(t, row.phone_vis, row.phone.as_deref().unwrap_or("")),
            bio: shown(t, row.bio_vis, &row.bio),
            languages: if sees(t, row.languages_vis) {
                split_list(&row.languages)
            } else {
                Vec::new()
            },
            has_photo: row.has_photo && sees(t, row.photo_vis),
            is_me: me.is_some() && row.user_id == me,
            claimed: row.user_id.is_some(),
            consented_at: row.consented_at.filter(|_| t >= Visibility::Private.level()),
            post_started_on: row.post_started_on.filter(|_| t >= Visibility::Private.level()),
            manager_id: row.manager_id.filter(|_| t >= Visibility::Private.level()),
            training_user: row.user_id.filter(|_| sees(t, row.training_vis)),
            shows_alumni: sees(t, row.alumni_vis),
            settings,
            organisation_name: row.org_name,
            organisation_siren: row.org_siren,
            organisation_kind: row.org_kind,
            first_name: row.first_name,
            last_name: row.last_name,
            updated_at: row.updated_at,
            tier: t,
        }
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The viewer administers this profile (or is the coordinator) — or is
    /// the person.
    pub fn sees_everything(&self) -> bool {
        self.tier >= Visibility::Private.level()
    }
}

/// « français, anglais ; LSF » → ["français", "anglais", "LSF"].
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A profile the viewer may see (listed for them), or `NotFound`.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Profile> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let row = db::by_id(conn.ex(), &scope, id).await?.ok_or(CoreError::NotFound)?;
    if !sees(row.tier, row.listed) {
        return Err(CoreError::NotFound);
    }
    let themes = db::themes_of(conn.ex(), &[row.id]).await?;
    Ok(Profile::from_row(row, &themes, actor.user_id()))
}

/// The logged-in person's own profile id, if they have one.
pub async fn mine(ctx: &Ctx, actor: &Actor) -> CoreResult<Option<Uuid>> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::id_of_user(conn.ex(), me.id).await?)
}

/// The photo of a profile, if the viewer may see it.
pub async fn photo(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Vec<u8>> {
    let profile = get(ctx, actor, id).await?;
    if !profile.has_photo {
        return Err(CoreError::NotFound);
    }
    let mut conn = ctx.db.conn().await?;
    db::photo(conn.ex(), id).await?.ok_or(CoreError::NotFound)
}

#[derive(Debug, Clone)]
pub struct Change {
    pub at: OffsetDateTime,
    pub by: Option<String>,
    pub source: String,
    pub fields: Vec<String>,
}

/// The dated history of a profile: for the person and the administrators.
pub async fn history(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Vec<Change>> {
    let profile = get(ctx, actor, id).await?;
    if !profile.sees_everything() {
        return Err(CoreError::NotFound);
    }
    let mut conn = ctx.db.conn().await?;
    Ok(db::changes(conn.ex(), id, 100)
        .await?
        .into_iter()
        .map(|c| Change {
            at: c.changed_at,
            by: c.changed_by_name,
            source: c.source,
            fields: c
                .fields
                .split(',')
                .filter(|f| !f.is_empty())
                .map(|f| super::visibility::field_label(f).to_owned())
                .collect(),
        })
        .collect())
}
