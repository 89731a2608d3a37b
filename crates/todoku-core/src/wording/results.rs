//! The result words a reader sees (`pass`, `softfail`, `unavailable` …),
//! each with its rendering in both languages: English shows the token, and
//! Japanese differs only where Todoku's own word is translated.
//!
//! The words of the protocols (RFC 8601's `pass`, `fail`, `softfail`,
//! `neutral`, `none`, `temperror`, `permerror`, `policy`, DMARC's and
//! ARC's) stay as written in Japanese too: they are what
//! Authentication-Results and the providers' own help pages show, the live
//! result is compared with the recorded one word for word, and the sentence
//! beside each explains it in Japanese. `unavailable` is Todoku's own word
//! (the live check could not ask DNS), not a protocol's, so it is
//! translated.

use super::Lang;

/// A result word of an authentication check, recorded or live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultWord {
    /// `pass`.
    Pass,
    /// `fail`.
    Fail,
    /// `softfail` (SPF `~all`).
    SoftFail,
    /// `neutral` (SPF `?all`, DKIM's neutral).
    Neutral,
    /// `none`: no record, no signature, no chain.
    None,
    /// `temperror`: a DNS failure at the receiver.
    TempError,
    /// `permerror`: a broken record or signature.
    PermError,
    /// `policy`: the receiver chose not to accept a valid result.
    Policy,
    /// `unavailable`: Todoku's live check could not ask DNS.
    Unavailable,
}

impl ResultWord {
    /// Every word.
    pub const ALL: &'static [ResultWord] = &[
        ResultWord::Pass,
        ResultWord::Fail,
        ResultWord::SoftFail,
        ResultWord::Neutral,
        ResultWord::None,
        ResultWord::TempError,
        ResultWord::PermError,
        ResultWord::Policy,
        ResultWord::Unavailable,
    ];

    /// The word as the JSON and Authentication-Results write it.
    pub const fn token(self) -> &'static str {
        match self {
            ResultWord::Pass => "pass",
            ResultWord::Fail => "fail",
            ResultWord::SoftFail => "softfail",
            ResultWord::Neutral => "neutral",
            ResultWord::None => "none",
            ResultWord::TempError => "temperror",
            ResultWord::PermError => "permerror",
            ResultWord::Policy => "policy",
            ResultWord::Unavailable => "unavailable",
        }
    }

    /// The word `token` (as Todoku and Authentication-Results write it,
    /// lower-case), if it is one.
    pub fn parse(token: &str) -> Option<ResultWord> {
        Some(match token {
            "pass" => ResultWord::Pass,
            "fail" => ResultWord::Fail,
            "softfail" => ResultWord::SoftFail,
            "neutral" => ResultWord::Neutral,
            "none" => ResultWord::None,
            "temperror" => ResultWord::TempError,
            "permerror" => ResultWord::PermError,
            "policy" => ResultWord::Policy,
            "unavailable" => ResultWord::Unavailable,
            _ => return None,
        })
    }

    /// The word as shown to a reader of `lang`: the protocols' words stay as
    /// written in both languages; only Todoku's own `unavailable` is
    /// translated.
    pub const fn get(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Ja, ResultWord::Unavailable) => "確認できず",
            _ => self.token(),
        }
    }
}

/// `word` as shown to a reader of `lang`: a known result word in its
/// rendering, anything else (a receiver's own word) as written.
pub fn shown(word: &str, lang: Lang) -> &str {
    ResultWord::parse(word).map_or(word, |w| w.get(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_parses_from_its_token_and_unknown_words_pass_through() {
        for w in ResultWord::ALL {
            assert_eq!(ResultWord::parse(w.token()), Some(*w));
            assert_eq!(w.get(Lang::En), w.token());
        }
        assert_eq!(shown("pass", Lang::Ja), "pass");
        assert_eq!(shown("bestguesspass", Lang::Ja), "bestguesspass");
    }

    /// The live check's own word is Japanese in Japanese.
    #[test]
    fn unavailable_is_japanese_in_japanese() {
        assert_eq!(shown("unavailable", Lang::Ja), "確認できず");
        assert!(!shown("unavailable", Lang::Ja).is_ascii());
    }
}
