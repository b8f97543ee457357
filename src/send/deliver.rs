//! Where the messages go: the outbox folder of a dry run, or an SMTP
//! server with every accepted message logged at once.

use std::io::Write as _;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use super::{Prepared, SendOptions, Sent};
use crate::config::{MailConfig, MailSecurity};
use crate::error::{Error, IoContext, Result};
use crate::format::slug;

/// What `send` did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub written: usize,
    pub sent: usize,
    /// Messages the server refused (permanently), with the reason.
    pub refused: Vec<String>,
    /// Set when sending stopped midway (the rest goes out next time).
    pub stopped: Option<String>,
}

/// Dry run: writes every outgoing message to `OUTPUT/<year>/outbox/`.
/// Every message is built before anything is written, so a dry run that
/// fails (no sender configured, say) leaves the folder as it was.
pub fn write_outbox(prepared: &Prepared, opts: &SendOptions) -> Result<Outcome> {
    let mut messages: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, p) in prepared
        .plan
        .iter()
        .filter(|p| p.status.goes_out())
        .enumerate()
    {
        let built = prepared.build(p, opts.year, opts.to_test.as_deref())?;
        let who = p
            .recipient
            .as_ref()
            .map(|r| {
                if r.name.is_empty() {
                    r.email.clone()
                } else {
                    r.name.clone()
                }
            })
            .unwrap_or_default();
        let name = format!(
            "{:03}-{}-{}.eml",
            i + 1,
            slug(p.unit.as_deref().unwrap_or("organisation")),
            slug(&who)
        );
        messages.push((name, built.message.formatted()));
    }
    // staged beside it and moved into place whole: a full disk leaves the
    // previous outbox (or none), never half of one
    let outbox = prepared.outbox();
    let folder = outbox.parent().unwrap_or(&outbox);
    let name = outbox.file_name().map(|n| n.to_string_lossy().into_owned());
    // an outbox staged by a killed dry run goes first (we hold the lock)
    crate::publish::recover(folder)?;
    let staging = crate::publish::Staging::new(folder, name.as_deref().unwrap_or("outbox"))?;
    for (name, bytes) in &messages {
        let path = staging.dir().join(name);
        std::fs::write(&path, bytes).at(&path)?;
    }
    staging.commit()?;
    Ok(Outcome {
        written: messages.len(),
        ..Outcome::default()
    })
}

fn transport(mail: &MailConfig) -> Result<SmtpTransport> {
    if mail.host.trim().is_empty() {
        return Err(Error::Usage(
            "[mail] host is not set in mognad.toml; name the SMTP server".into(),
        ));
    }
    let host = mail.host.trim();
    let tls = |host: &str| {
        TlsParameters::new(host.to_string())
            .map_err(|e| Error::Mail(format!("[mail] host = \"{host}\": TLS setup failed: {e}")))
    };
    let mut builder = SmtpTransport::builder_dangerous(host).port(mail.port);
    builder = match mail.security {
        MailSecurity::Starttls => builder.tls(Tls::Required(tls(host)?)),
        MailSecurity::Tls => builder.tls(Tls::Wrapper(tls(host)?)),
        MailSecurity::None => builder.tls(Tls::None),
    };
    if !mail.user.is_empty() {
        let password = std::env::var(&mail.password_env).map_err(|_| {
            Error::Usage(format!(
                "[mail] user is set, but the environment variable {} (the password) is not",
                mail.password_env
            ))
        })?;
        builder = builder.credentials(Credentials::new(mail.user.clone(), password));
    }
    Ok(builder
        .timeout(Some(Duration::from_secs(mail.timeout_seconds.max(1))))
        .build())
}

/// Sends every message that goes out, logging each one as the server
/// accepts it. Stops at the first failure that is not about one recipient
/// (the server down, throttling, a broken connection).
pub fn send(prepared: &Prepared, opts: &SendOptions) -> Result<Outcome> {
    let smtp = transport(&prepared.mail)?;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&prepared.log)
        .at(&prepared.log)?;
    // a crash mid-line leaves a partial last line: start on a fresh one
    if let Ok(bytes) = std::fs::read(&prepared.log) {
        if bytes.last().is_some_and(|b| *b != b'\n') {
            log.write_all(b"\n").at(&prepared.log)?;
        }
    }
    let pause = Duration::from_secs_f64(60.0 / prepared.mail.per_minute.max(0.01));
    let mut outcome = Outcome::default();
    let mut first = true;
    for p in prepared.plan.iter().filter(|p| p.status.goes_out()) {
        let built = prepared.build(p, opts.year, opts.to_test.as_deref())?;
        if !first {
            std::thread::sleep(pause);
        }
        first = false;
        match smtp.send(&built.message) {
            Ok(response) => {
                let line = Sent {
                    time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    organisation: prepared.organisation.clone(),
                    unit: p.unit.clone(),
                    file: p.file.clone(),
                    sha256: p.sha256.clone(),
                    to: built.to.clone(),
                    message_id: built.message_id.clone(),
                    response: format!(
                        "{} {}",
                        response.code(),
                        response.message().collect::<Vec<_>>().join(" ")
                    ),
                    test: opts.to_test.is_some(),
                };
                let mut json = serde_json::to_vec(&line)
                    .map_err(|e| Error::internal("writing the send log", e))?;
                json.push(b'\n');
                log.write_all(&json)
                    .and_then(|_| log.sync_data())
                    .at(&prepared.log)?;
                outcome.sent += 1;
            }
            Err(e) if e.is_permanent() => {
                outcome
                    .refused
                    .push(format!("{}: refused by the server: {e}", built.to));
            }
            Err(e) => {
                outcome.stopped = Some(format!(
                    "sending to {} failed: {e}; the send log is up to date, so running the same command again sends the rest",
                    built.to
                ));
                break;
            }
        }
    }
    Ok(outcome)
}
