//! Importing an organisation's agents file (from its HR software) into the
//! directory: upload → column mapping → preview of every line's problems →
//! all-or-nothing validation → report. A re-import updates the people
//! matched by email instead of duplicating them. The command line runs the
//! same plan and apply steps (`maillage import agents`).

use std::collections::HashMap;

use maillage_db::{
    Ex,
    profiles::{self as db, Fields},
};
use uuid::Uuid;

use super::{
    edit::defaults,
    import_file::{self, AgentRow, Field, LineProblem, ParsedFile},
    index::reindex,
};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, accounts, organisations, policy, policy::Action};

/// Largest file accepted (an agents list of 50,000 lines is about 5 MB;
/// larger files reach the parser, which names the oversized cell).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineAction {
    Create,
    Update,
    Unchanged,
}

/// What will happen to one line.
#[derive(Debug, Clone)]
pub struct Planned {
    pub row: AgentRow,
    pub action: LineAction,
    /// For an update: the history keys of the fields that change.
    pub changes: Vec<&'static str>,
    existing: Option<(Uuid, Fields)>,
}

#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invited: usize,
}

/// The preview of a pending import.
#[derive(Debug, Clone)]
pub struct Preview {
    pub id: Uuid,
    pub organisation_siren: String,
    pub organisation_name: String,
    pub file_name: String,
    pub encoding: &'static str,
    pub delimiter: char,
    pub headers: Vec<String>,
    /// One per column: the field it fills, if any.
    pub mapping: Vec<Option<Field>>,
    /// A file-level problem (a mandatory column missing…): fix the mapping
    /// or the file.
    pub file_error: Option<String>,
    pub problems: Vec<LineProblem>,
    pub plan: Vec<Planned>,
    pub counts: Counts,
}

impl Preview {
    pub fn ready(&self) -> bool {
        self.file_error.is_none() && self.problems.is_empty() && !self.plan.is_empty()
    }
}

fn file_error(e: import_file::FileError) -> CoreError {
    FieldErrors::single("file", e.to_string())
}

/// Step 1: an administrator uploads a file for their organisation. A file
/// that cannot be read as CSV is refused at once, nothing kept.
pub async fn upload(ctx: &Ctx, actor: &Actor, siren: &str, file_name: &str, bytes: &[u8]) -> CoreResult<Uuid> {
    let org = organisations::get(ctx, siren).await?;
    policy::require(actor, &Action::ImportPeople { organisation: org.id })?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FieldErrors::single(
            "file",
            "Le fichier dépasse 16 Mo : découpez-le en plusieurs fichiers.",
        ));
    }
    import_file::parse(bytes).map_err(file_error)?;
    let name: String = file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let mut tx = ctx.db.begin().await?;
    let id = db::insert_import(tx.ex(), org.id, Some(me.id), &name, bytes).await?;
    tx.commit_bookkeeping().await?;
    Ok(id)
}

async fn pending(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<db::ImportRow> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let row = db::import(conn.ex(), id, me.id).await?.ok_or(CoreError::NotFound)?;
    // Rights may have been withdrawn since the upload.
    policy::require(
        actor,
        &Action::ImportPeople {
            organisation: row.organisation_id,
        },
    )?;
    Ok(row)
}

fn stored_mapping(row: &db::ImportRow, file: &ParsedFile) -> Vec<Option<Field>> {
    row.mapping
        .as_deref()
        .and_then(|m| serde_json::from_str::<Vec<Option<String>>>(m).ok())
        .filter(|m| m.len() == file.headers.len())
        .map(|m| m.iter().map(|k| k.as_deref().and_then(Field::from_key)).collect())
        .unwrap_or_else(|| import_file::suggest_mapping(&file.headers))
}

/// Step 2 (optional): the administrator says which field each column holds.
pub async fn set_mapping(ctx: &Ctx, actor: &Actor, id: Uuid, columns: &[String]) -> CoreResult<()> {
    let row = pending(ctx, actor, id).await?;
    let file = import_file::parse(&row.data).map_err(file_error)?;
    if columns.len() != file.headers.len() {
        return Err(CoreError::Conflict(
            "Le formulaire ne correspond plus au fichier : rechargez la page.".into(),
        ));
    }
    let keys: Vec<Option<String>> = columns
        .iter()
        .map(|c| Field::from_key(c).map(|f| f.key().to_owned()))
        .collect();
    let json = serde_json::to_string(&keys).map_err(|e| CoreError::Internal(e.into()))?;
    let mut tx = ctx.db.begin().await?;
    db::set_import_mapping(tx.ex(), id, &json).await?;
    tx.commit_bookkeeping().await?;
    Ok(())
}

/// Applies a line's non-empty cells onto a profile's fields: an empty cell
/// keeps what is there (a person's own phone is not erased by an export
/// that lacks it).
fn merged(mut f: Fields, r: &AgentRow) -> Fields {
    let set = |target: &mut String, v: &str| {
        if !v.is_empty() {
            *target = v.to_owned();
        }
    };
    set(&mut f.first_name, &r.first_name);
    set(&mut f.last_name, &r.last_name);
    set(&mut f.function_title, &r.function);
    set(&mut f.direction, &r.direction);
    set(&mut f.service, &r.service);
    set(&mut f.cadre, &r.cadre);
    set(&mut f.languages, &r.languages);
    if let Some(c) = r.category {
        f.category = Some(c.as_str().to_owned());
    }
    if let Some(p) = &r.phone {
        f.phone = Some(p.as_str().to_owned());
    }
    f.email = Some(r.email.as_str().to_owned());
    f
}

/// Compares the file's lines with the directory: which lines create, update
/// or leave a profile, and which addresses belong to another organisation.
async fn plan(
    mut ex: Ex<'_>,
    organisation_id: Uuid,
    rows: Vec<AgentRow>,
    problems: &mut Vec<LineProblem>,
) -> CoreResult<Vec<Planned>> {
    let emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
    let existing: HashMap<String, db::ProfileRow> = db::by_emails(ex.reborrow(), &emails)
        .await?
        .into_iter()
        .filter_map(|p| p.email.clone().map(|e| (e, p)))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        match existing.get(row.email.as_str()) {
            Some(p) if p.organisation_id != organisation_id => problems.push(LineProblem {
                line: row.line,
                column: Some(Field::Email.label().to_owned()),
                message: format!(
                    "L'adresse {} est celle d'une personne d'une autre organisation du réseau : \
                     corrigez-la ou retirez la ligne (un changement d'employeur passe par la coordination).",
                    row.email
                ),
            }),
            Some(p) => {
                let before = Fields::from(p);
                let after = merged(before.clone(), &row);
                let changes = super::edit::changed(&before, &after);
                out.push(Planned {
                    action: if changes.is_empty() {
                        LineAction::Unchanged
                    } else {
                        LineAction::Update
                    },
                    changes,
                    existing: Some((p.id, before)),
                    row,
                });
            }
            None => out.push(Planned {
                row,
                action: LineAction::Create,
                changes: Vec::new(),
                existing: None,
            }),
        }
    }
    problems.sort_by_key(|p| p.line);
    Ok(out)
}

fn count(plan: &[Planned]) -> Counts {
    let mut c = Counts::default();
    for p in plan {
        match p.action {
            LineAction::Create => c.created += 1,
            LineAction::Update => c.updated += 1,
            LineAction::Unchanged => c.unchanged += 1,
        }
    }
    c
}

/// Step 3: what the import would do, and every line's problems.
pub async fn preview(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Preview> {
    let row = pending(ctx, actor, id).await?;
    let file = import_file::parse(&row.data).map_err(file_error)?;
    let mapping = stored_mapping(&row, &file);
    let mut conn = ctx.db.conn().await?;
    let org = maillage_db::organisations::by_id(conn.ex(), row.organisation_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let (file_error, mut problems, plan) = match import_file::validate(&file, &mapping) {
        Err(e) => (Some(e.to_string()), Vec::new(), Vec::new()),
        Ok((rows, mut problems)) => {
            let plan = plan(conn.ex(), row.organisation_id, rows, &mut problems).await?;
            (None, problems, plan)
        }
    };
    problems.sort_by_key(|p| p.line);
    Ok(Preview {
        id,
        organisation_siren: org.siren,
        organisation_name: org.name,
        file_name: row.file_name,
        encoding: file.encoding,
        delimiter: file.delimiter,
        headers: file.headers,
        mapping,
        file_error,
        counts: count(&plan),
        problems,
        plan,
    })
}

/// Writes a plan: creates and updates profiles, records their history,
/// re-indexes them and, if asked, invites the people created to claim their
/// profile. Runs inside the caller's transaction.
async fn apply(
    mut ex: Ex<'_>,
    ctx: &Ctx,
    org: &maillage_db::organisations::OrganisationRow,
    plan: &[Planned],
    by: Option<(Uuid, &str)>,
    invite: bool,
) -> CoreResult<Counts> {
    let mut counts = count(plan);
    for p in plan {
        match (&p.action, &p.existing) {
            (LineAction::Create, _) => {
                let fields = merged(defaults(), &p.row);
                let (id, _) = db::insert(ex.reborrow(), org.id, None, &fields, false).await?;
                db::record_change(ex.reborrow(), id, by.map(|b| b.0), "import", &["creation"]).await?;
                reindex(ex.reborrow(), id).await?;
                if invite {
                    accounts::enqueue_claim(ex.reborrow(), ctx, org, p.row.email.as_str(), by).await?;
                    counts.invited += 1;
                }
            }
            (LineAction::Update, Some((id, before))) => {
                let after = merged(before.clone(), &p.row);
                db::update(ex.reborrow(), *id, &after).await?;
                db::record_change(ex.reborrow(), *id, by.map(|b| b.0), "import", &p.changes).await?;
                reindex(ex.reborrow(), *id).await?;
            }
            _ => {}
        }
    }
    Ok(counts)
}

fn refuse_if_not_ready(file_error: Option<String>, problems: &[LineProblem], plan: &[Planned]) -> CoreResult<()> {
    if let Some(e) = file_error {
        return Err(CoreError::Conflict(e));
    }
    if !problems.is_empty() {
        return Err(CoreError::Conflict(format!(
            "Le fichier comporte {} problème(s) : rien n'a été importé. Corrigez le fichier puis recommencez.",
            problems.len()
        )));
    }
    if plan.is_empty() {
        return Err(CoreError::Conflict(
            "Le fichier ne contient aucune ligne à importer.".into(),
        ));
    }
    Ok(())
}

/// Step 4: all or nothing. The file is checked again inside the transaction
/// (the directory may have changed since the preview).
pub async fn commit(ctx: &Ctx, actor: &Actor, id: Uuid, invite: bool) -> CoreResult<Counts> {
    let row = pending(ctx, actor, id).await?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let file = import_file::parse(&row.data).map_err(file_error)?;
    let mapping = stored_mapping(&row, &file);
    let mut tx = ctx.db.begin().await?;
    let org = maillage_db::organisations::by_id(tx.ex(), row.organisation_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let (rows, mut problems) =
        import_file::validate(&file, &mapping).map_err(|e| CoreError::Conflict(e.to_string()))?;
    let plan = plan(tx.ex(), org.id, rows, &mut problems).await?;
    refuse_if_not_ready(None, &problems, &plan)?;
    let counts = apply(tx.ex(), ctx, &org, &plan, Some((me.id, &me.display_name)), invite).await?;
    db::delete_import(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        Some(me.id),
        "directory.import",
        &org.siren,
        &format!(
            "{} créées, {} mises à jour, {} inchangées",
            counts.created, counts.updated, counts.unchanged
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(counts)
}

/// Abandons a pending import.
pub async fn discard(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    pending(ctx, actor, id).await?;
    let mut tx = ctx.db.begin().await?;
    db::delete_import(tx.ex(), id).await?;
    tx.commit_bookkeeping().await?;
    Ok(())
}

/// What the command line prints.
pub struct CliOutcome {
    pub encoding: &'static str,
    pub problems: Vec<LineProblem>,
    pub counts: Counts,
    pub written: bool,
}

/// `maillage import agents FILE --organisation SIREN`: the server's operator
/// imports with the headers as suggested (no mapping step). With problems,
/// or with `dry_run`, nothing is written.
pub async fn from_cli(ctx: &Ctx, siren: &str, bytes: &[u8], invite: bool, dry_run: bool) -> CoreResult<CliOutcome> {
    let siren =
        maillage_domain::siren::Siren::parse(siren).map_err(|e| FieldErrors::single("organisation", e.to_string()))?;
    let file = import_file::parse(bytes).map_err(file_error)?;
    let mapping = import_file::suggest_mapping(&file.headers);
    let (rows, mut problems) = import_file::validate(&file, &mapping).map_err(file_error)?;
    let mut tx = ctx.db.begin().await?;
    let org = maillage_db::organisations::by_siren(tx.ex(), siren.as_str())
        .await?
        .ok_or_else(|| {
            FieldErrors::single(
                "organisation",
                format!("Aucune organisation du réseau n'a le SIREN {siren} : ajoutez-la d'abord."),
            )
        })?;
    let plan = plan(tx.ex(), org.id, rows, &mut problems).await?;
    let mut counts = count(&plan);
    let written = problems.is_empty() && !plan.is_empty() && !dry_run;
    if written {
        counts = apply(tx.ex(), ctx, &org, &plan, None, invite).await?;
        maillage_db::audit::record(tx.ex(), None, "directory.import-cli", &org.siren, "").await?;
        tx.commit().await?;
    }
    Ok(CliOutcome {
        encoding: file.encoding,
        problems,
        counts,
        written,
    })
}
