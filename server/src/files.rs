//! Reading the files the server and the kit's CLI are given: every read has a bound
//! suited to what the file holds, checked before reading and again while reading (a file
//! may grow), and only a regular file is read, so that `/dev/zero`, a FIFO without a
//! writer or a symlink to either is refused at once, naming the file, instead of filling
//! memory or waiting forever.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a file holds, which sets the most bytes read of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A PEM key (a P-384 key is under 1 KiB; a chain of certificates is not a key).
    Key,
    /// A request or response body, or a token (the largest body the kit reads).
    Body,
    /// An expected-failures file.
    Expectations,
    /// A JSON report of a run.
    Report,
    /// A case file.
    Cases,
    /// The server's TOML configuration.
    Config,
    /// AWS's shared credentials file.
    Credentials,
}

impl FileKind {
    /// The most bytes read of a file of this kind.
    pub const fn limit(self) -> u64 {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * KIB;
        match self {
            FileKind::Key => 64 * KIB,
            FileKind::Body => ivs_participant_token::constraints::MAX_BODY_BYTES as u64,
            FileKind::Expectations => 4 * MIB,
            FileKind::Report => 64 * MIB,
            FileKind::Cases => 4 * MIB,
            FileKind::Config => MIB,
            FileKind::Credentials => MIB,
        }
    }

    /// What the kind is called in a message.
    pub const fn name(self) -> &'static str {
        match self {
            FileKind::Key => "a key",
            FileKind::Body => "a body",
            FileKind::Expectations => "an expected-failures file",
            FileKind::Report => "a report",
            FileKind::Cases => "a case file",
            FileKind::Config => "a configuration file",
            FileKind::Credentials => "a credentials file",
        }
    }
}

/// A file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file, as given.
    pub path: PathBuf,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for FileError {}

/// The bytes of `path`, a regular file of at most `kind`'s [`limit`](FileKind::limit).
pub fn read(path: &Path, kind: FileKind) -> Result<Vec<u8>, FileError> {
    let error = |message: String| FileError {
        path: path.to_owned(),
        message,
    };
    let too_big = || {
        error(format!(
            "larger than {} bytes, the most this kit reads of {}",
            kind.limit(),
            kind.name()
        ))
    };
    // The path's metadata follows symlinks: a link to a device is a device.
    let meta = std::fs::metadata(path).map_err(|e| error(e.to_string()))?;
    if !meta.is_file() {
        return Err(error(format!(
            "not a regular file ({}): {} is read from a regular file only",
            kind_of(&meta),
            kind.name()
        )));
    }
    if meta.len() > kind.limit() {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| error(e.to_string()))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(kind.limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(e.to_string()))?;
    if bytes.len() as u64 > kind.limit() {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The text of `path`, as [`read`] reads it, which must be UTF-8.
pub fn read_text(path: &Path, kind: FileKind) -> Result<String, FileError> {
    String::from_utf8(read(path, kind)?).map_err(|e| FileError {
        path: path.to_owned(),
        message: format!("not UTF-8 text ({e})"),
    })
}

/// What a file that is not a regular one is, in a few words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused_naming_the_bound() {
        let e = read(Path::new("/dev/zero"), FileKind::Key).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot read /dev/zero: not a regular file (a character device)"),
            "{e}"
        );
        let e = read(Path::new("/"), FileKind::Config).unwrap_err();
        assert!(e.message.contains("a directory"), "{e}");
        let dir = std::env::temp_dir().join(format!("ivs-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.pem");
        std::fs::write(&big, vec![b'x'; 64 * 1024 + 1]).unwrap();
        let e = read(&big, FileKind::Key).unwrap_err();
        assert!(
            e.message
                .contains("larger than 65536 bytes, the most this kit reads of a key"),
            "{e}"
        );
        std::fs::write(&big, vec![b'x'; 64 * 1024]).unwrap();
        assert_eq!(read(&big, FileKind::Key).unwrap().len(), 64 * 1024);
        let link = dir.join("zero");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(read(&link, FileKind::Report)
            .unwrap_err()
            .message
            .contains("character device"));
        std::fs::write(&big, [0xff, 0xfe]).unwrap();
        assert!(read_text(&big, FileKind::Key)
            .unwrap_err()
            .message
            .contains("not UTF-8"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
