//! Installing frameworks: importing one from a file, for bmma itself.

use bmma_core::Framework;
use bmma_store::{SaveOutcome, StoreError};

/// How importing a framework went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Installed,
    /// The same text was installed already; nothing changed.
    AlreadyInstalled,
}

impl crate::App {
    /// Installs `framework`, read and checked from `text` by `bmma_catalog::load_str`, for bmma
    /// itself (the command line). Different text under an installed `id@version` is refused:
    /// assessments may be scored against that version, so a correction ships as a new one.
    pub async fn import_framework(
        &self,
        framework: &Framework,
        text: &str,
    ) -> Result<Imported, crate::AppError> {
        let actor = bmma_store::Actor::system("bmma framework import");
        match self.store.save_framework(&framework.reference(), &framework.name, text, false, &actor).await {
            Ok(SaveOutcome::Unchanged) => Ok(Imported::AlreadyInstalled),
            Ok(_) => Ok(Imported::Installed),
            Err(StoreError::Duplicate(_)) => Err(crate::AppError::Refused("error-framework-version-taken")),
            Err(e) => Err(e.into()),
        }
    }
}
