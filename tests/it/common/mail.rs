//! A real SMTP server on loopback for the `mognad send` tests, and a reader
//! of the `.eml` files it stores. Both are plain Rust over a real socket:
//! the tests need nothing installed beside cargo.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use mail_parser::MimeHeaders;
use sha2::{Digest, Sha256};

/// A mail server on 127.0.0.1 that stores every message it accepts as
/// `DIR/NNNN.eml`, the envelope recipients in a first `X-Envelope-To:`
/// line. With `fail_after = Some(n)` it accepts n messages and answers
/// every further one with 421 (closing down), as a server does that
/// throttles or goes down midway. Stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpServer {
    pub fn start(dir: &Path, fail_after: Option<usize>) -> SmtpServer {
        std::fs::create_dir_all(dir).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, out) = (stop.clone(), dir.to_path_buf());
        let thread = std::thread::spawn(move || {
            let mut stored = 0usize;
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    // one session at a time, as the client sends one by one
                    let _ = session(stream, &out, fail_after, &mut stored);
                }
            }
        });
        SmtpServer {
            port,
            dir: dir.to_path_buf(),
            stop,
            thread: Some(thread),
        }
    }

    /// Every message received so far, parsed.
    pub fn received(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        read_eml(&files)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // wake the accept loop
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One SMTP session: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
fn session(
    stream: TcpStream,
    dir: &Path,
    fail_after: Option<usize>,
    stored: &mut usize,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 localhost ESMTP mognad-test\r\n")?;
    let mut rcpt: Vec<String> = Vec::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => out.write_all(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?,
            "HELO" => out.write_all(b"250 localhost\r\n")?,
            "MAIL" => {
                rcpt.clear();
                out.write_all(b"250 2.1.0 ok\r\n")?
            }
            "RCPT" => {
                let addr = line
                    .split_once('<')
                    .and_then(|(_, r)| r.split_once('>'))
                    .map(|(a, _)| a.to_string())
                    .unwrap_or_default();
                rcpt.push(addr);
                out.write_all(b"250 2.1.5 ok\r\n")?
            }
            "DATA" => {
                out.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
                let mut body: Vec<u8> = Vec::new();
                loop {
                    let mut l = Vec::new();
                    if lines.read_until(b'\n', &mut l)? == 0 {
                        return Ok(());
                    }
                    if l == b".\r\n" || l == b".\n" {
                        break;
                    }
                    // dot-unstuffing
                    body.extend_from_slice(if l.starts_with(b"..") { &l[1..] } else { &l });
                }
                if fail_after.is_some_and(|n| *stored >= n) {
                    out.write_all(b"421 4.3.2 test server: closing down, try again later\r\n")?;
                    return Ok(());
                }
                *stored += 1;
                let path = dir.join(format!("{:04}.eml", *stored));
                let mut bytes = format!("X-Envelope-To: {}\r\n", rcpt.join(",")).into_bytes();
                bytes.extend_from_slice(&body);
                let tmp = path.with_extension("tmp");
                std::fs::write(&tmp, bytes)?;
                std::fs::rename(tmp, path)?;
                out.write_all(b"250 2.0.0 stored\r\n")?
            }
            "RSET" | "NOOP" => out.write_all(b"250 ok\r\n")?,
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"502 5.5.2 not implemented\r\n")?,
        }
    }
}

/// Parses `.eml` files as a mail client does (the `mail-parser` crate) and
/// gives one JSON object per file: the envelope recipient (if the test
/// server recorded it), the decoded To name and address, From and Subject,
/// the text body and every attachment's file name, type and sha256.
pub fn read_eml(files: &[PathBuf]) -> Vec<serde_json::Value> {
    files
        .iter()
        .map(|path| {
            let raw = std::fs::read(path).unwrap();
            let msg = mail_parser::MessageParser::default()
                .parse(&raw)
                .unwrap_or_else(|| panic!("{} is not a mail message", path.display()));
            let to = msg.to().and_then(|a| a.first()).expect("a To address");
            let from = msg.from().and_then(|a| a.first()).expect("a From address");
            let attachments: Vec<serde_json::Value> = msg
                .attachments()
                .map(|part| {
                    let ct = part.content_type();
                    serde_json::json!({
                        "filename": part.attachment_name(),
                        "type": ct.map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))),
                        "sha256": Sha256::digest(part.contents())
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect::<String>(),
                    })
                })
                .collect();
            serde_json::json!({
                "file": path.display().to_string(),
                "envelope_to": msg
                    .header_raw("X-Envelope-To")
                    .map(str::trim)
                    .unwrap_or(""),
                "to_name": to.name(),
                "to_address": to.address(),
                "from": from.address(),
                "subject": msg.subject(),
                "message_id": msg.message_id(),
                "ascii": raw.iter().all(|b| *b < 128),
                "body": msg.body_text(0).map(|b| b.into_owned()),
                "attachments": attachments,
            })
        })
        .collect()
}
