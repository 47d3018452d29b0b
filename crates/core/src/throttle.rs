//! Login throttling that cannot be used to lock someone out.
//!
//! Failures are counted over a sliding window, per IP address, per account
//! (by the email typed, so unknown addresses behave exactly like known ones)
//! and per *trusted device*. A browser that once logged into an account
//! successfully holds a signed device cookie for it: once an account has
//! too many failures, attempts **without** that cookie are refused for the
//! rest of the window, while the owner's own browser keeps its separate,
//! per-device allowance. An attacker hammering someone's address thus
//! throttles only themselves (the OWASP « device cookies » scheme).

use maillage_db::{Ex, login_failures};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{CoreError, CoreResult, security};

pub const WINDOW: Duration = Duration::minutes(15);
pub const IP_LIMIT: i64 = 30;
pub const ACCOUNT_LIMIT: i64 = 5;
pub const DEVICE_LIMIT: i64 = 10;

/// A verified device cookie: this browser once logged into `user_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub user_id: Uuid,
    pub nonce: String,
}

impl Device {
    pub fn issue(key: &[u8], user_id: Uuid) -> String {
        let nonce = security::random_token();
        let message = format!("{user_id}.{nonce}");
        let sig = security::b64(&security::sign(key, message.as_bytes()));
        format!("{message}.{sig}")
    }

    /// The device, if the cookie's signature holds.
    pub fn verify(key: &[u8], cookie: &str) -> Option<Device> {
        let mut parts = cookie.rsplitn(2, '.');
        let sig = security::unb64(parts.next()?)?;
        let message = parts.next()?;
        if !security::verify(key, message.as_bytes(), &sig) {
            return None;
        }
        let (user, nonce) = message.split_once('.')?;
        Some(Device {
            user_id: Uuid::parse_str(user).ok()?,
            nonce: nonce.to_owned(),
        })
    }
}

const TOO_MANY_IP: &str =
    "Trop de tentatives de connexion depuis votre réseau. Patientez quelques minutes avant de réessayer.";
const TOO_MANY_ACCOUNT: &str =
    "Trop de tentatives de connexion pour ce compte. Patientez 15 minutes, ou réinitialisez votre mot de passe.";

/// A login attempt under way: recorded before the password is checked.
pub struct Attempt {
    ids: Vec<Uuid>,
    device: Option<Device>,
}

/// Records the attempt, then counts the attempts of the window *including
/// those in flight*, and refuses it (before any password check) when a limit
/// is passed. Recording first makes concurrent attempts count each other: a
/// burst fails closed instead of slipping through before any failure is
/// counted. `device` is the verified cookie *for this account*, if any.
pub async fn begin(
    db: &maillage_db::Db,
    ip: &str,
    account: &str,
    device: Option<Device>,
    now: OffsetDateTime,
) -> CoreResult<Attempt> {
    let mut tx = db.begin().await?;
    let mut ids = vec![login_failures::record(tx.ex(), "ip", ip, now).await?];
    ids.push(match &device {
        Some(d) => login_failures::record(tx.ex(), "device", &d.nonce, now).await?,
        None => login_failures::record(tx.ex(), "account", account, now).await?,
    });
    tx.commit_bookkeeping().await?;

    let since = now - WINDOW;
    let mut conn = db.conn().await?;
    if login_failures::count_since(conn.ex(), "ip", ip, since).await? > IP_LIMIT {
        return Err(CoreError::TooManyRequests(TOO_MANY_IP.into()));
    }
    let over = match &device {
        Some(d) => login_failures::count_since(conn.ex(), "device", &d.nonce, since).await? > DEVICE_LIMIT,
        None => login_failures::count_since(conn.ex(), "account", account, since).await? > ACCOUNT_LIMIT,
    };
    if over {
        return Err(CoreError::TooManyRequests(TOO_MANY_ACCOUNT.into()));
    }
    Ok(Attempt { ids, device })
}

impl Attempt {
    /// The password was right: this attempt does not count, and the device's
    /// earlier failures are forgiven.
    pub async fn succeeded(self, mut ex: Ex<'_>) -> CoreResult<()> {
        login_failures::delete(ex.reborrow(), &self.ids).await?;
        if let Some(d) = &self.device {
            login_failures::clear(ex, "device", &d.nonce).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_cookie_round_trip_and_tamper() {
        let key = b"0123456789abcdef0123456789abcdef";
        let user = Uuid::now_v7();
        let cookie = Device::issue(key, user);
        assert_eq!(Device::verify(key, &cookie).map(|d| d.user_id), Some(user));
        let other = Uuid::now_v7();
        let forged = cookie.replacen(&user.to_string(), &other.to_string(), 1);
        assert_eq!(Device::verify(key, &forged), None);
        assert_eq!(Device::verify(b"another key another key another k", &cookie), None);
    }
}
