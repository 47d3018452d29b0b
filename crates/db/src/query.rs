//! One statement, either backend. A [`Query`] is SQL text with `$1, $2…`
//! placeholders (SQLite accepts them) and its arguments as [`Value`]s; the
//! `fetch_*`/`execute` methods of [`Ex`] bind them natively for the backend
//! at hand. Row types derive `sqlx::FromRow`, which is generic over the row
//! type, so one struct decodes from both.
//!
//! Nullable arguments keep their type (`Value::Text(None)`): PostgreSQL
//! types each parameter and would refuse a text NULL for a uuid column.

use std::borrow::Cow;

use sqlx::{AssertSqlSafe, FromRow, postgres::PgRow, sqlite::SqliteRow};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Uuid(Option<Uuid>),
    Time(Option<OffsetDateTime>),
    Date(Option<Date>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! value_from {
    ($variant:ident, $t:ty, $conv:expr) => {
        impl From<$t> for Value {
            fn from(v: $t) -> Value {
                Value::$variant(Some(($conv)(v)))
            }
        }
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Value {
                Value::$variant(v.map($conv))
            }
        }
    };
}
value_from!(Text, String, |v| v);
value_from!(Text, &str, |v: &str| v.to_owned());
value_from!(Text, &String, |v: &String| v.clone());
value_from!(Int, i64, |v| v);
value_from!(Int, i32, i64::from);
value_from!(Float, f64, |v| v);
value_from!(Bool, bool, |v| v);
value_from!(Uuid, Uuid, |v| v);
value_from!(Time, OffsetDateTime, |v| v);
value_from!(Date, Date, |v| v);
value_from!(Bytes, Vec<u8>, |v| v);
value_from!(Bytes, &[u8], |v: &[u8]| v.to_vec());

#[derive(Debug, Clone)]
pub struct Query {
    sql: Cow<'static, str>,
    args: Vec<Value>,
}

/// A statement with static text.
pub fn query(sql: &'static str) -> Query {
    Query {
        sql: Cow::Borrowed(sql),
        args: Vec::new(),
    }
}

impl Query {
    /// A statement assembled at run time (filters, ordering). Only ever built
    /// from fixed fragments and `$n` placeholders — never from user text.
    pub fn dynamic(sql: String) -> Query {
        Query {
            sql: Cow::Owned(sql),
            args: Vec::new(),
        }
    }

    pub fn bind(mut self, v: impl Into<Value>) -> Query {
        self.args.push(v.into());
        self
    }

    /// The placeholder for the next argument (`$3`), for dynamic statements.
    pub fn next_placeholder(&self) -> String {
        format!("${}", self.args.len() + 1)
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// Binds every value of `values` and returns their placeholders joined
    /// for an `IN (…)` list (`"$1, $2, $3"`). Callers handle the empty list
    /// (`IN ()` is not SQL).
    pub fn bind_list<T: Into<Value> + Copy>(mut self, values: &[T]) -> (Query, String) {
        let mut marks = Vec::with_capacity(values.len());
        for v in values {
            marks.push(self.next_placeholder());
            self = self.bind(*v);
        }
        (self, marks.join(", "))
    }

    /// Same arguments, new text: dynamic statements collect their arguments
    /// (and placeholders) first, then assemble the final SQL.
    pub fn with_sql(self, sql: String) -> Query {
        Query {
            sql: Cow::Owned(sql),
            args: self.args,
        }
    }
}

/// What a row type must be to come back from either backend.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

macro_rules! bind_all {
    ($q:expr, $args:expr, $time:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Value::Text(v) => q.bind(v.map(without_nul)),
                Value::Int(v) => q.bind(v),
                Value::Float(v) => q.bind(v),
                Value::Bool(v) => q.bind(v),
                Value::Uuid(v) => q.bind(v),
                Value::Time(v) => q.bind(v.map($time)),
                Value::Date(v) => q.bind(v),
                Value::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

/// Times on SQLite: TEXT in one fixed-width UTC form (6 fraction digits, `Z`),
/// so that comparing and ordering the text is comparing and ordering the
/// instants (sqlx's own RFC 3339 trims trailing zeros: « …:00.12Z » would
/// sort after « …:00.123Z »). sqlx decodes it back as RFC 3339.
fn sqlite_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Text arguments lose their NUL characters on both backends: PostgreSQL
/// `text` cannot hold them (the statement would fail: a 500 for a `%00` typed
/// in a search or a form field) and they mean nothing in stored text.
fn without_nul(s: String) -> String {
    if s.contains('\0') { s.replace('\0', "") } else { s }
}

fn sql_of(sql: Cow<'static, str>) -> AssertSqlSafe<Cow<'static, str>> {
    // Safe by construction: see `Query::dynamic`.
    AssertSqlSafe(sql)
}

impl Ex<'_> {
    pub async fn fetch_all<T: Row>(self, q: Query) -> DbResult<Vec<T>> {
        Ok(match self {
            Ex::Sqlite(c) => {
                bind_all!(sqlx::query_as::<_, T>(sql_of(q.sql)), q.args, sqlite_time)
                    .fetch_all(c)
                    .await?
            }
            Ex::Postgres(c) => {
                bind_all!(sqlx::query_as::<_, T>(sql_of(q.sql)), q.args, std::convert::identity)
                    .fetch_all(c)
                    .await?
            }
        })
    }

    pub async fn fetch_optional<T: Row>(self, q: Query) -> DbResult<Option<T>> {
        Ok(match self {
            Ex::Sqlite(c) => {
                bind_all!(sqlx::query_as::<_, T>(sql_of(q.sql)), q.args, sqlite_time)
                    .fetch_optional(c)
                    .await?
            }
            Ex::Postgres(c) => {
                bind_all!(sqlx::query_as::<_, T>(sql_of(q.sql)), q.args, std::convert::identity)
                    .fetch_optional(c)
                    .await?
            }
        })
    }

    pub async fn fetch_one<T: Row>(self, q: Query) -> DbResult<T> {
        Ok(match self {
            Ex::Sqlite(c) => {
                bind_all!(sqlx::query_as::<_, T>(sql_of(q.sql)), q.args, sqlite_time)
                    .fetch_one(c)
                    .await?
            }
            Ex::Postgres(c) => {
                bind_all!(sqlx::query_as::<_, T>(sql_of(q.sql)), q.args, std::convert::identity)
                    .fetch_one(c)
                    .await?
            }
        })
    }

    /// A single `i64` (a count, an existence check as 0/1).
    pub async fn fetch_scalar(self, q: Query) -> DbResult<i64> {
        let (n,): (i64,) = self.fetch_one(q).await?;
        Ok(n)
    }

    /// Runs the statement; returns the number of rows affected.
    pub async fn execute(self, q: Query) -> DbResult<u64> {
        Ok(match self {
            Ex::Sqlite(c) => bind_all!(sqlx::query(sql_of(q.sql)), q.args, sqlite_time)
                .execute(c)
                .await?
                .rows_affected(),
            Ex::Postgres(c) => bind_all!(sqlx::query(sql_of(q.sql)), q.args, std::convert::identity)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }
}

/// The French full-text match on an analysed `search_terms` column (the
/// catalogue's modules, the bank's projects): every query term must be a
/// prefix of one of the column's words, or equal one of its stems
/// (`maillage_domain::search`). Appends ` AND …` conditions to `sql`;
/// `column` is a fixed fragment of the caller, never user text.
pub fn match_terms(mut q: Query, sql: &mut String, column: &'static str, terms: &[(String, Option<String>)]) -> Query {
    for (word, stem) in terms {
        let p = q.next_placeholder();
        q = q.bind(format!("% {}%", crate::organisations::escape_like(word)));
        match stem {
            Some(stem) => {
                let s = q.next_placeholder();
                q = q.bind(format!("% {} %", crate::organisations::escape_like(stem)));
                sql.push_str(&format!(
                    " AND ((' ' || {column}) LIKE {p} ESCAPE '\\' \
                     OR (' ' || {column} || ' ') LIKE {s} ESCAPE '\\')"
                ));
            }
            None => sql.push_str(&format!(" AND (' ' || {column}) LIKE {p} ESCAPE '\\'")),
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::sqlite_time;

    #[test]
    fn sqlite_times_sort_as_instants() {
        let times = [
            datetime!(2026-11-22 10:00:00 UTC),
            datetime!(2026-11-22 10:00:00.12 UTC),
            datetime!(2026-11-22 10:00:00.123 UTC),
            datetime!(2026-11-22 10:00:00.5 UTC),
            datetime!(2026-11-22 11:00:00.000001 +01:00),
            datetime!(2026-11-22 10:00:01 UTC),
        ];
        let text: Vec<String> = times.iter().map(|t| sqlite_time(*t)).collect();
        let mut sorted = text.clone();
        sorted.sort();
        assert_eq!(text[1], "2026-11-22T10:00:00.120000Z");
        assert_eq!(text[4], "2026-11-22T10:00:00.000001Z");
        let mut by_instant = times.to_vec();
        by_instant.sort();
        assert_eq!(sorted, by_instant.iter().map(|t| sqlite_time(*t)).collect::<Vec<_>>());
        for t in &text {
            assert_eq!(
                time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                    .map(sqlite_time)
                    .as_ref(),
                Ok(t)
            );
        }
    }
}
