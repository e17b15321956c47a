//! Reading the words of uploads, outside the server: each file is handed to a separate
//! process (`bmma extract-text`), which limits its own memory and processor time, while the
//! server keeps a wall-clock limit. A file that crashes, hangs or exhausts the reader ends
//! that process only; the item is marked unreadable and the upload itself is kept.
//!
//! Reading happens after the upload is stored, so filing answers at once; the register
//! shows "text being read" meanwhile. Items still waiting when a server stopped are read
//! again when it starts (`resume`).

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use bmma_core::evidence::DOCUMENT_TEXT_MAX;
use bmma_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{Semaphore, mpsc};

/// How the server runs the reading process.
#[derive(Clone, Debug)]
pub struct TextReading {
    /// The bmma executable, run as `PROGRAM extract-text`: the running one unless configured.
    pub program: PathBuf,
    /// The reading process's address space, in megabytes.
    pub memory_mb: u64,
    /// The reading process's processor time, in seconds.
    pub cpu_seconds: u64,
    /// How long the server waits for one file before ending its reader.
    pub timeout: Duration,
    /// How many files are read at the same time.
    pub at_once: usize,
    /// The largest file handed to a reader, in bytes (the upload limit).
    pub input_bytes: u64,
}

impl Default for TextReading {
    fn default() -> TextReading {
        TextReading {
            program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("bmma")),
            memory_mb: 1024,
            cpu_seconds: 30,
            timeout: Duration::from_secs(60),
            at_once: 2,
            input_bytes: crate::DEFAULT_MAX_UPLOAD_BYTES,
        }
    }
}

/// The queue of uploads whose words are to be read; cheap to clone.
#[derive(Clone, Debug)]
pub struct TextReader {
    queue: mpsc::UnboundedSender<(String, String)>,
    store: Store,
}

impl TextReader {
    /// Starts the reader's queue; it needs a Tokio runtime and ends with it.
    pub fn start(store: Store, settings: TextReading) -> TextReader {
        let (queue, mut waiting) = mpsc::unbounded_channel::<(String, String)>();
        let permits = Arc::new(Semaphore::new(settings.at_once.max(1)));
        let settings = Arc::new(settings);
        let reader_store = store.clone();
        tokio::spawn(async move {
            while let Some((assessment_id, item_id)) = waiting.recv().await {
                let Ok(permit) = permits.clone().acquire_owned().await else { return };
                let (store, settings) = (reader_store.clone(), settings.clone());
                tokio::spawn(async move {
                    let _permit = permit;
                    read_item(&store, &settings, &assessment_id, &item_id).await;
                });
            }
        });
        TextReader { queue, store }
    }

    /// Queues an item whose upload's words are to be read.
    pub fn read(&self, assessment_id: &str, item_id: &str) {
        // The queue lives as long as the runtime; once that ends there is nobody to tell.
        let _ = self.queue.send((assessment_id.to_string(), item_id.to_string()));
    }

    /// Queues every item still waiting: after a restart, what the last server did not finish.
    pub async fn resume(&self) -> Result<usize, bmma_store::StoreError> {
        let waiting = self.store.texts_to_read().await?;
        for item in &waiting {
            self.read(&item.assessment_id, &item.item_id);
        }
        Ok(waiting.len())
    }
}

/// Reads every item still waiting, one after the other, and returns when all are recorded;
/// for the command line, which has no server running to do it.
pub async fn read_waiting(store: &Store, settings: &TextReading) -> Result<usize, bmma_store::StoreError> {
    let waiting = store.texts_to_read().await?;
    for item in &waiting {
        read_item(store, settings, &item.assessment_id, &item.item_id).await;
    }
    Ok(waiting.len())
}

/// Reads one item's upload and records the outcome. A reader that could not be started
/// leaves the item waiting, to be read after the next start, rather than calling the file
/// unreadable.
async fn read_item(store: &Store, settings: &TextReading, assessment_id: &str, item_id: &str) {
    let file = match store.evidence_item(assessment_id, item_id).await {
        Ok(Some(item)) => item.file,
        Ok(None) => None,
        Err(e) => {
            tracing::error!(item = item_id, error = %e, "cannot load evidence to read its text");
            return;
        }
    };
    let Some(file) = file else { return };
    let text = match run_reader(settings, &file.media_type, store, &file.sha256).await {
        Ok(text) => text,
        Err(e) => {
            tracing::error!(item = item_id, program = %settings.program.display(), error = %e,
                "the upload could not be handed to the text reader; the item stays waiting");
            return;
        }
    };
    if text.is_none() {
        tracing::warn!(item = item_id, file = %file.name, "the text of an upload could not be read");
    }
    if let Err(e) = store.record_text(assessment_id, item_id, text.as_deref()).await {
        tracing::error!(item = item_id, error = %e, "cannot record the text of an upload");
    }
}

/// The pieces an upload is handed to its reader in.
const PIECE: usize = 1 << 20;

/// Runs one reading process over the stored file `sha256`, handed to it piece by piece:
/// Ok(Some(words)) when it read them, Ok(None) when it failed in any way (damaged file,
/// crash, limit, timeout, the file gone), Err when it could not start.
async fn run_reader(
    settings: &TextReading,
    media_type: &str,
    store: &Store,
    sha256: &str,
) -> std::io::Result<Option<String>> {
    let mut child = tokio::process::Command::new(&settings.program)
        .arg("extract-text")
        .args(["--media-type", media_type])
        .args(["--memory-mb", &settings.memory_mb.to_string()])
        .args(["--cpu-seconds", &settings.cpu_seconds.to_string()])
        .args(["--input-bytes", &settings.input_bytes.to_string()])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // Past the timeout the future is dropped, and with it the process.
        .kill_on_drop(true)
        .spawn()?;
    let (Some(mut input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
        return Ok(None);
    };
    let finished = async move {
        // Hands the file over; false when the database failed part-way, so that a reader
        // fed half a file cannot record its words as the file's.
        let write = async move {
            let mut offset = 0;
            loop {
                let piece = match store.file_piece(sha256, offset, PIECE).await {
                    Ok(Some(piece)) if !piece.is_empty() => piece,
                    Ok(_) => return true,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot load an upload to read its text");
                        return false;
                    }
                };
                offset += piece.len() as u64;
                // A reader that stops reading early (a limit) closes the pipe: not our failure.
                if input.write_all(&piece).await.is_err() {
                    return true;
                }
            }
            // Dropping `input` on return tells the reader the file has ended.
        };
        // The reader cuts what it writes to this; more means it is not behaving.
        let mut words = Vec::new();
        let mut output = output.take(DOCUMENT_TEXT_MAX as u64 + 1);
        let read = output.read_to_end(&mut words);
        let (handed_over, read) = tokio::join!(write, read);
        let status = child.wait().await;
        (handed_over, read.map(|_| words), status)
    };
    Ok(match tokio::time::timeout(settings.timeout, finished).await {
        Ok((false, _, _)) => return Err(std::io::Error::other("the upload could not be loaded")),
        Ok((true, Ok(words), Ok(status)))
            if status.success() && words.len() as u64 <= DOCUMENT_TEXT_MAX as u64 =>
        {
            Some(String::from_utf8_lossy(&words).into_owned())
        }
        _ => None,
    })
}
