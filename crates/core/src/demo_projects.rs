//! Demo data of the promotions and the project bank (after
//! `demo_school::seed`): promotions following the schools' paths with their
//! casting, projects at every stage of their life, followed for years.

use crate::{CoreResult, Ctx};

mod bank;
mod life;
mod promotions;

pub async fn seed(ctx: &Ctx) -> CoreResult<()> {
    promotions::seed(ctx).await?;
    bank::seed(ctx).await?;
    life::seed(ctx).await?;
    Ok(())
}
