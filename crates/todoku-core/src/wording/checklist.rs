//! The sender requirement checklists' words: each list's title and each
//! requirement's label, one exhaustive match per language, so a list or an
//! item without both languages does not compile. The JSON keeps the ids as
//! the strings [`ListId::as_str`] and [`CheckId::as_str`] give.

use serde::{Serialize, Serializer};

use super::{Lang, Text};

/// A provider's list of sender requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListId {
    /// `gmail_all`: Gmail's rules for every sender.
    GmailAll,
    /// `gmail_bulk`: Gmail's further rules for 5,000+ messages a day.
    GmailBulk,
    /// `yahoo`: Yahoo Mail's rules.
    Yahoo,
    /// `outlook_high_volume`: Outlook.com's rules for 5,000+ a day.
    OutlookHighVolume,
}

impl ListId {
    /// Every list, in the report's order.
    pub const ALL: &'static [ListId] = &[
        ListId::GmailAll,
        ListId::GmailBulk,
        ListId::Yahoo,
        ListId::OutlookHighVolume,
    ];

    /// The id as the JSON writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ListId::GmailAll => "gmail_all",
            ListId::GmailBulk => "gmail_bulk",
            ListId::Yahoo => "yahoo",
            ListId::OutlookHighVolume => "outlook_high_volume",
        }
    }

    /// The list's title in `lang`.
    pub const fn title_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => match self {
                ListId::GmailAll => "Gmail: all senders",
                ListId::GmailBulk => "Gmail: bulk senders (5,000+ a day)",
                ListId::Yahoo => "Yahoo Mail",
                ListId::OutlookHighVolume => "Outlook.com: high-volume senders (5,000+ a day)",
            },
            Lang::Ja => match self {
                ListId::GmailAll => "Gmail：すべての送信者",
                ListId::GmailBulk => "Gmail：大量送信者（1 日 5,000 通以上）",
                ListId::Yahoo => "Yahoo メール",
                ListId::OutlookHighVolume => "Outlook.com：大量送信者（1 日 5,000 通以上）",
            },
        }
    }

    /// The title in both languages.
    pub const fn title(self) -> Text {
        Text {
            en: self.title_in(Lang::En),
            ja: self.title_in(Lang::Ja),
        }
    }
}

/// One sender requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckId {
    /// `spf_or_dkim`.
    SpfOrDkim,
    /// `reverse_dns`.
    ReverseDns,
    /// `tls`.
    Tls,
    /// `rfc5322`.
    Rfc5322,
    /// `no_impersonation`.
    NoImpersonation,
    /// `spam_rate`: the limit depends on the list.
    SpamRate,
    /// `spf_and_dkim`.
    SpfAndDkim,
    /// `dmarc_record`.
    DmarcRecord,
    /// `dmarc_aligned`.
    DmarcAligned,
    /// `one_click_unsubscribe`.
    OneClickUnsubscribe,
    /// `spf`.
    Spf,
    /// `dkim`.
    Dkim,
}

impl CheckId {
    /// Every requirement.
    pub const ALL: &'static [CheckId] = &[
        CheckId::SpfOrDkim,
        CheckId::ReverseDns,
        CheckId::Tls,
        CheckId::Rfc5322,
        CheckId::NoImpersonation,
        CheckId::SpamRate,
        CheckId::SpfAndDkim,
        CheckId::DmarcRecord,
        CheckId::DmarcAligned,
        CheckId::OneClickUnsubscribe,
        CheckId::Spf,
        CheckId::Dkim,
    ];

    /// The id as the JSON writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckId::SpfOrDkim => "spf_or_dkim",
            CheckId::ReverseDns => "reverse_dns",
            CheckId::Tls => "tls",
            CheckId::Rfc5322 => "rfc5322",
            CheckId::NoImpersonation => "no_impersonation",
            CheckId::SpamRate => "spam_rate",
            CheckId::SpfAndDkim => "spf_and_dkim",
            CheckId::DmarcRecord => "dmarc_record",
            CheckId::DmarcAligned => "dmarc_aligned",
            CheckId::OneClickUnsubscribe => "one_click_unsubscribe",
            CheckId::Spf => "spf",
            CheckId::Dkim => "dkim",
        }
    }

    /// The requirement as `list` states it, in `lang` (only the spam-rate
    /// limit differs between lists).
    pub const fn label(self, list: ListId, lang: Lang) -> &'static str {
        match lang {
            Lang::En => match self {
                CheckId::SpfOrDkim => "SPF or DKIM passes for the sending domain",
                CheckId::ReverseDns => "The sending IP has forward-confirmed reverse DNS (PTR)",
                CheckId::Tls => "The connection to the receiver uses TLS",
                CheckId::Rfc5322 => "The message is formatted per RFC 5322",
                CheckId::NoImpersonation => {
                    "Do not impersonate Gmail (no @gmail.com From sent elsewhere)"
                }
                CheckId::SpamRate => match list {
                    ListId::GmailAll => "Spam rate below 0.3% in Postmaster Tools",
                    ListId::GmailBulk => "Spam rate below 0.1% (never 0.3% or more)",
                    ListId::Yahoo | ListId::OutlookHighVolume => "Spam rate below 0.3%",
                },
                CheckId::SpfAndDkim => "Both SPF and DKIM pass",
                CheckId::DmarcRecord => "The From domain publishes DMARC (p=none at least)",
                CheckId::DmarcAligned => "DMARC passes: SPF or DKIM aligned with the From domain",
                CheckId::OneClickUnsubscribe => {
                    "Marketing mail has one-click unsubscribe (RFC 8058)"
                }
                CheckId::Spf => "SPF passes",
                CheckId::Dkim => "DKIM passes",
            },
            Lang::Ja => match self {
                CheckId::SpfOrDkim => "送信ドメインで SPF か DKIM が合格",
                CheckId::ReverseDns => "送信 IP の逆引き（PTR）と正引きが一致",
                CheckId::Tls => "受信サーバーへの接続が TLS",
                CheckId::Rfc5322 => "RFC 5322 に沿った形式",
                CheckId::NoImpersonation => {
                    "Gmail になりすまさない（@gmail.com の From を他から送らない）"
                }
                CheckId::SpamRate => match list {
                    ListId::GmailAll => "迷惑メール率 0.3% 未満（Postmaster Tools）",
                    ListId::GmailBulk => "迷惑メール率 0.1% 未満（0.3% 以上は不可）",
                    ListId::Yahoo | ListId::OutlookHighVolume => "迷惑メール率 0.3% 未満",
                },
                CheckId::SpfAndDkim => "SPF と DKIM の両方が合格",
                CheckId::DmarcRecord => "From ドメインが DMARC を公開（p=none 以上）",
                CheckId::DmarcAligned => "DMARC 合格：SPF か DKIM が From ドメインと一致",
                CheckId::OneClickUnsubscribe => "配信メールにワンクリック配信停止（RFC 8058）",
                CheckId::Spf => "SPF が合格",
                CheckId::Dkim => "DKIM が合格",
            },
        }
    }

    /// The requirement as `list` states it, in both languages.
    pub const fn requirement(self, list: ListId) -> Text {
        Text {
            en: self.label(list, Lang::En),
            ja: self.label(list, Lang::Ja),
        }
    }
}

impl Serialize for ListId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<&str> for ListId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_label_has_both_languages() {
        for (i, c) in CheckId::ALL.iter().enumerate() {
            assert!(
                CheckId::ALL
                    .iter()
                    .skip(i + 1)
                    .all(|o| o.as_str() != c.as_str())
            );
            for list in ListId::ALL {
                let t = c.requirement(*list);
                assert!(!t.en.is_empty() && !t.ja.is_empty(), "{c:?}");
                assert_ne!(t.en, t.ja, "{c:?} is not translated");
            }
        }
        for (i, l) in ListId::ALL.iter().enumerate() {
            assert!(
                ListId::ALL
                    .iter()
                    .skip(i + 1)
                    .all(|o| o.as_str() != l.as_str())
            );
            assert_ne!(l.title().en, l.title().ja);
        }
    }
}
