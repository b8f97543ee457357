//! One message: the mail body with the unit's headline figures (read from
//! the run's `indices.csv`), the report attached, a stable Message-ID.

use std::collections::BTreeMap;
use std::path::Path;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::{Planned, Prepared};
use crate::config::MailConfig;
use crate::error::{Error, IoContext, Result};
use crate::format::{self, Lang};
use crate::lang::Texts;
use crate::publish::sha256_hex;

/// The headline figures per unit (`None`: the organisation) from
/// `indices.csv`: index, change and respondents of the total.
#[derive(Debug, Default)]
pub(super) struct Headlines {
    by_unit: BTreeMap<Option<String>, Headline>,
}

/// A total's index, change, benchmark and respondents.
#[derive(Debug, Clone, Copy)]
struct Headline {
    index: f64,
    change: Option<f64>,
    benchmark: Option<f64>,
    n: usize,
}

impl Headlines {
    pub(super) fn read(path: &Path) -> Result<Headlines> {
        let mut out = Headlines::default();
        if !path.is_file() {
            return Ok(out);
        }
        for row in crate::tables::read_indices(path)? {
            let Some(index) = row.index.filter(|_| row.level == "total") else {
                continue;
            };
            out.by_unit.insert(
                row.unit,
                Headline {
                    index,
                    change: row.change,
                    benchmark: row.benchmark,
                    n: row.n.unwrap_or(0),
                },
            );
        }
        Ok(out)
    }
}

/// The parsed sender.
fn sender(mail: &MailConfig) -> Result<Mailbox> {
    if mail.from.trim().is_empty() {
        return Err(Error::Usage(
            "[mail] from is not set in mognad.toml; name the sender, e.g. from = \"Digitaliseringsenheten <digital@exempelby.se>\"".into(),
        ));
    }
    mail.from.parse().map_err(|e| {
        Error::Usage(format!(
            "[mail] from = \"{}\": not a valid sender ({e})",
            mail.from
        ))
    })
}

/// One message, ready to write or send.
pub struct Built {
    pub message: Message,
    pub to: String,
    pub message_id: String,
}

impl Prepared {
    /// Builds the message for a plan line.
    pub fn build(&self, p: &Planned, year: i32, to_test: Option<&str>) -> Result<Built> {
        let recipient = p
            .recipient
            .as_ref()
            .ok_or_else(|| Error::Internal("a message without a recipient".into()))?;
        let lang = Lang::parse(&p.language).unwrap_or(Lang::Sv);
        let texts = Texts::new(lang);
        let from = sender(&self.mail)?;
        let unit_name = p.unit.clone().unwrap_or_else(|| self.organisation.clone());
        let address = to_test.unwrap_or(&recipient.email);
        // headers have no isolation: direction controls go
        let unit_name = crate::format::without_direction_controls(&unit_name);
        let organisation = crate::format::without_direction_controls(&self.organisation);
        let to_box = Mailbox::new(
            Some(crate::format::without_direction_controls(&recipient.name))
                .filter(|n| !n.is_empty()),
            address.parse().map_err(|e| {
                Error::Usage(format!("{address}: not a valid e-mail address ({e})"))
            })?,
        );
        let year_text = year.to_string();
        let mut subject = texts.fill(
            "mail_subject",
            &[
                ("year", &year_text),
                ("unit", &unit_name),
                ("organisation", &organisation),
            ],
        );
        if to_test.is_some() {
            subject = format!("[TEST] {subject}");
        }
        let signature = from.name.as_deref().unwrap_or(from.email.as_ref());
        let body = self.body(p, recipient, &texts, year, to_test.is_some(), signature);

        let pdf = std::fs::read(self.folder.join(&p.file)).at(self.folder.join(&p.file))?;
        if sha256_hex(&pdf) != p.sha256 {
            return Err(Error::Usage(format!(
                "{}: changed while sending; run `mognad run` again",
                self.folder.join(&p.file).display()
            )));
        }
        let filename = Path::new(&p.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "rapport.pdf".into());
        let domain = from.email.domain().to_string();
        let message_id = format!(
            "<{}.{}@{}>",
            &p.sha256[..16.min(p.sha256.len())],
            &sha256_hex(address.to_lowercase().as_bytes())[..12],
            domain
        );
        let mut builder = Message::builder()
            .from(from)
            .to(to_box)
            .subject(subject)
            .message_id(Some(message_id.clone()));
        if !self.mail.reply_to.trim().is_empty() {
            let reply: Mailbox = self.mail.reply_to.parse().map_err(|e| {
                Error::Usage(format!(
                    "[mail] reply_to = \"{}\": not a valid address ({e})",
                    self.mail.reply_to
                ))
            })?;
            builder = builder.reply_to(reply);
        }
        let pdf_type = ContentType::parse("application/pdf")
            .map_err(|e| Error::internal("the PDF content type", e))?;
        let message = builder
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body))
                    .singlepart(Attachment::new(filename).body(pdf, pdf_type)),
            )
            .map_err(|e| Error::internal(&format!("building the message to {address}"), e))?;
        Ok(Built {
            message,
            to: address.to_string(),
            message_id,
        })
    }

    /// The mail's text: greeting, what is attached, the headline figures,
    /// and the signature.
    fn body(
        &self,
        p: &Planned,
        recipient: &crate::recipients::Recipient,
        texts: &Texts,
        year: i32,
        test: bool,
        signature: &str,
    ) -> String {
        let year_text = year.to_string();
        let unit_name = p.unit.clone().unwrap_or_else(|| self.organisation.clone());
        let mut body = String::new();
        if test {
            body.push_str(&texts.fill("mail_test_note", &[("email", &recipient.email)]));
            body.push_str("\n\n");
        }
        if recipient.name.is_empty() {
            body.push_str(&texts.get("mail_greeting_anon"));
        } else {
            body.push_str(&texts.fill("mail_greeting", &[("name", &recipient.name)]));
        }
        body.push_str("\n\n");
        body.push_str(&texts.fill(
            if p.unit.is_some() {
                "mail_intro"
            } else {
                "mail_intro_org"
            },
            &[
                ("year", &year_text),
                ("unit", &unit_name),
                ("organisation", &self.organisation),
            ],
        ));
        body.push_str("\n\n");
        let lang = texts.lang;
        if let Some(&Headline {
            index,
            change,
            benchmark,
            n,
        }) = self.headlines.by_unit.get(&p.unit)
        {
            body.push_str(&format!(
                "{}: {}\n",
                texts.get("total_index"),
                format::percent(index, 1, lang)
            ));
            if let Some(c) = change {
                body.push_str(&format!(
                    "{}: {}\n",
                    texts.get("mail_change"),
                    // as the report prints it: from the rounded indices
                    format::points_between(index, index - c, 1, lang)
                ));
            }
            if p.unit.is_some() {
                if let Some(org) = self.headlines.by_unit.get(&None) {
                    body.push_str(&format!(
                        "{}: {}\n",
                        texts.get("organisation_total"),
                        format::percent(org.index, 1, lang)
                    ));
                }
            }
            if let Some(b) = benchmark {
                body.push_str(&format!(
                    "{}: {}\n",
                    texts.get("mail_benchmark"),
                    format::percent(b, 1, lang)
                ));
            }
            body.push_str(&format!(
                "{}: {}\n\n",
                texts.get("respondents"),
                format::count(n, lang)
            ));
        }
        body.push_str(&texts.get("mail_outro"));
        body.push_str("\n\n");
        body.push_str(&texts.get("mail_regards"));
        body.push('\n');
        body.push_str(signature);
        body.push('\n');
        body
    }
}
