//! The frameworks in memory. Parsed once from the texts in the database, each with its API
//! JSON rendered once: a framework changes only when it is imported, so requests never
//! rebuild it. A framework another server imported meanwhile is found on a miss.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use bmma_core::{Framework, FrameworkRef};
use bmma_store::{FrameworkRecord, SaveOutcome, Store, StoreError};
use bytes::Bytes;

/// A framework ready to serve.
#[derive(Debug)]
pub struct Loaded {
    pub framework: Framework,
    pub record: FrameworkRecord,
    /// The body of `GET /api/v1/frameworks/{id}/{version}`.
    pub json: Bytes,
}

#[derive(Clone, Debug, Default)]
pub struct Catalog {
    loaded: Arc<RwLock<BTreeMap<FrameworkRef, Arc<Loaded>>>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored framework cannot be read: {0}")]
    Invalid(#[from] bmma_catalog::LoadError),
}

/// Stores the built-in frameworks, or updates them after an upgrade. Run at every start.
pub async fn install_builtin(store: &Store) -> Result<Vec<(FrameworkRef, SaveOutcome)>, CatalogError> {
    let mut outcomes = Vec::new();
    for (name, text) in bmma_catalog::BUILTIN {
        let framework = bmma_catalog::load_str(name, text)?;
        let reference = framework.reference();
        let actor = bmma_store::Actor::system("bmma");
        let outcome = store.save_framework(&reference, &framework.name, text, true, &actor).await?;
        outcomes.push((reference, outcome));
    }
    Ok(outcomes)
}

fn prepare(record: FrameworkRecord, source: &str) -> Result<Loaded, CatalogError> {
    let framework = bmma_catalog::load_str(&record.reference.to_string(), source)?;
    let json = serde_json::to_vec(&crate::json::FrameworkJson::new(&framework, &record))
        .map_err(|e| StoreError::Database(e.to_string()))?;
    Ok(Loaded { framework, record, json: Bytes::from(json) })
}

impl Catalog {
    /// Loads every stored framework.
    pub async fn load(store: &Store) -> Result<Catalog, CatalogError> {
        let mut loaded = BTreeMap::new();
        for (record, source) in store.framework_sources().await? {
            let ready = prepare(record, &source)?;
            loaded.insert(ready.record.reference.clone(), Arc::new(ready));
        }
        Ok(Catalog { loaded: Arc::new(RwLock::new(loaded)) })
    }

    /// The framework `id@version`; with an empty version, the newest version of `id`.
    pub async fn get(
        &self,
        store: &Store,
        reference: &FrameworkRef,
    ) -> Result<Option<Arc<Loaded>>, CatalogError> {
        if reference.version.is_empty() {
            let newest = self
                .list(store)
                .await?
                .into_iter()
                .filter(|r| r.id == reference.id)
                .max_by(|a, b| bmma_core::framework::compare_versions(&a.version, &b.version));
            return match newest {
                Some(r) => Box::pin(self.get(store, &r)).await,
                None => Ok(None),
            };
        }
        if let Some(found) = self.read().get(reference) {
            return Ok(Some(found.clone()));
        }
        let Some(source) = store.framework_source(reference).await? else {
            return Ok(None);
        };
        let record = store
            .list_frameworks()
            .await?
            .into_iter()
            .find(|r| &r.reference == reference)
            .ok_or_else(|| StoreError::Database(format!("{reference} vanished while loading")))?;
        let ready = Arc::new(prepare(record, &source)?);
        self.write().insert(reference.clone(), ready.clone());
        Ok(Some(ready))
    }

    /// The references of every stored framework, in id and version order.
    pub async fn list(&self, store: &Store) -> Result<Vec<FrameworkRef>, CatalogError> {
        Ok(store.list_frameworks().await?.into_iter().map(|r| r.reference).collect())
    }

    /// Every stored framework, loaded.
    pub async fn all(&self, store: &Store) -> Result<Vec<Arc<Loaded>>, CatalogError> {
        let mut all = Vec::new();
        for reference in self.list(store).await? {
            if let Some(loaded) = self.get(store, &reference).await? {
                all.push(loaded);
            }
        }
        Ok(all)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<FrameworkRef, Arc<Loaded>>> {
        self.loaded.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<FrameworkRef, Arc<Loaded>>> {
        self.loaded.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
