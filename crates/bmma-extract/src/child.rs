//! The reading process: `bmma extract-text` reads one file from standard input and writes
//! its words to standard output. The server starts it for every upload, so that a file
//! built to exhaust memory, loop forever or overflow the stack ends this process, never the
//! server. It sets its own limits before it reads a byte.

use std::io::{Read, Write};

use bmma_core::evidence::FileType;
use rlimit::Resource;

use crate::{TEXT_MAX, text_of};

/// The limits the reading process puts on itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Address space, in bytes.
    pub memory_bytes: u64,
    /// Processor time, in seconds; the kernel ends the process past it.
    pub cpu_seconds: u64,
    /// The largest input read; a longer one is refused.
    pub input_bytes: u64,
}

/// Exit code: the file was read and its words written.
pub const READ: i32 = 0;
/// Exit code: the file is damaged or holds no words bmma can read.
pub const UNREADABLE: i32 = 3;
/// Exit code: the process was started wrongly (bad arguments, input over the limit).
pub const MISUSED: i32 = 2;

/// Sets `limits` on this process: memory, processor time, no files written, no core dumps.
pub fn restrict(limits: Limits) -> std::io::Result<()> {
    Resource::AS.set(limits.memory_bytes, limits.memory_bytes)?;
    // The soft limit sends SIGXCPU, the hard one a second later SIGKILL.
    Resource::CPU.set(limits.cpu_seconds, limits.cpu_seconds + 1)?;
    Resource::FSIZE.set(0, 0)?;
    Resource::CORE.set(0, 0)?;
    Ok(())
}

/// Reads a file of `file_type` from `input` and writes its words to `output`, at most
/// `TEXT_MAX` bytes; returns the exit code.
pub fn run(limits: Limits, file_type: FileType, input: impl Read, mut output: impl Write) -> i32 {
    let mut bytes = Vec::new();
    if input.take(limits.input_bytes + 1).read_to_end(&mut bytes).is_err()
        || bytes.len() as u64 > limits.input_bytes
    {
        return MISUSED;
    }
    let Some(text) = text_of(file_type, &bytes) else { return UNREADABLE };
    drop(bytes);
    let text = &text.as_bytes()[..text.len().min(TEXT_MAX)];
    match output.write_all(text).and_then(|()| output.flush()) {
        Ok(()) => READ,
        Err(_) => MISUSED,
    }
}
