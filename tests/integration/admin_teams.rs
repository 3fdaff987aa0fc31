//! (being written)

use crate::pages::Check;

/// Renders this section's pages in `c.lang` (called by the every-template test).
pub async fn walk_pages(_c: &mut Check<'_>) {}
