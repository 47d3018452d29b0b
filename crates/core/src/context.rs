//! What every operation needs: the database, the settings, the keys, the mailer.

use std::sync::Arc;

use maillage_db::Db;

use crate::{cache::Caches, config::Settings, mail::Mailer, security};

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub keys: Arc<Keys>,
    pub mailer: Arc<Mailer>,
    pub caches: Arc<Caches>,
}

pub struct Keys {
    /// Signs the « trusted device » cookies of login throttling.
    pub device: Vec<u8>,
    /// A hash of a random password: verifying against it for unknown emails
    /// makes a failed login take the same time whether the account exists or not.
    pub dummy_password_hash: String,
}

impl Ctx {
    /// Builds the context on a migrated database (creates the keys at first start).
    pub async fn new(db: Db, settings: Settings) -> anyhow::Result<Ctx> {
        let device = {
            let mut tx = db.begin().await?;
            let key = maillage_db::secrets::get_or_create(tx.ex(), "device-cookie-key", security::random_token).await?;
            tx.commit().await?;
            security::unb64(&key).ok_or_else(|| anyhow::anyhow!("clé device-cookie-key illisible"))?
        };
        let dummy_password_hash = security::hash_password(security::random_token()).await?;
        let mailer = Mailer::from_settings(&settings)?;
        Ok(Ctx {
            db,
            settings: Arc::new(settings),
            keys: Arc::new(Keys {
                device,
                dummy_password_hash,
            }),
            mailer: Arc::new(mailer),
            caches: Arc::new(Caches::default()),
        })
    }
}
