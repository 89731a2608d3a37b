//! Why a bounce says a recipient was refused, in plain words in both
//! languages: the enhanced status codes of RFC 3463 (and RFC 7372, 8617 for
//! authentication), by subject and detail, then by subject, then by class.

use super::Text;

/// `x.S.D` codes Todoku words by themselves.
const DETAIL: &[(&str, Text)] = &[
    (
        "1.0",
        Text {
            en: "The address was refused (the receiving server gave no more detail).",
            ja: "宛先アドレスが拒否されました（受信側サーバーは詳細を示していません）。",
        },
    ),
    (
        "1.1",
        Text {
            en: "The mailbox does not exist: the address is wrong or no longer in use.",
            ja: "宛先のメールボックスが存在しません。アドレスの誤りか、使われなくなったアドレスです。",
        },
    ),
    (
        "1.2",
        Text {
            en: "The recipient's domain does not exist or accepts no mail.",
            ja: "宛先のドメインが存在しないか、メールを受け付けていません。",
        },
    ),
    (
        "1.3",
        Text {
            en: "The recipient address is malformed.",
            ja: "宛先アドレスの書式が正しくありません。",
        },
    ),
    (
        "1.6",
        Text {
            en: "The mailbox has moved; the address is no longer valid.",
            ja: "宛先のメールボックスは移転しており、このアドレスはもう使えません。",
        },
    ),
    (
        "1.8",
        Text {
            en: "The sender's address was refused (its domain may not exist).",
            ja: "送信者アドレスが拒否されました（ドメインが存在しない可能性があります）。",
        },
    ),
    (
        "1.10",
        Text {
            en: "The recipient address does not exist (null MX or directory lookup failed).",
            ja: "宛先アドレスが存在しません（宛先ディレクトリに見つかりません）。",
        },
    ),
    (
        "2.0",
        Text {
            en: "The recipient's mailbox cannot take the message.",
            ja: "宛先のメールボックスがメールを受け取れない状態です。",
        },
    ),
    (
        "2.1",
        Text {
            en: "The mailbox is disabled and accepts no mail.",
            ja: "宛先のメールボックスは無効化されていて、メールを受け付けていません。",
        },
    ),
    (
        "2.2",
        Text {
            en: "The recipient's mailbox is full.",
            ja: "宛先のメールボックスが容量いっぱいです。",
        },
    ),
    (
        "2.3",
        Text {
            en: "The message is larger than the recipient accepts.",
            ja: "メールのサイズが宛先の上限を超えています。",
        },
    ),
    (
        "3.4",
        Text {
            en: "The message is too big for the receiving system.",
            ja: "メールのサイズが受信側システムの上限を超えています。",
        },
    ),
    (
        "4.0",
        Text {
            en: "The message could not be routed (a DNS or network problem on the way).",
            ja: "配送経路の問題（DNS やネットワーク）で届けられませんでした。",
        },
    ),
    (
        "4.1",
        Text {
            en: "The receiving server did not answer.",
            ja: "受信側サーバーが応答しませんでした。",
        },
    ),
    (
        "4.2",
        Text {
            en: "The connection to the receiving server broke off.",
            ja: "受信側サーバーとの接続が途中で切れました。",
        },
    ),
    (
        "4.4",
        Text {
            en: "No route to the recipient's server (no usable MX or address).",
            ja: "宛先サーバーへの経路がありません（使える MX やアドレスがありません）。",
        },
    ),
    ("4.7", EXPIRED),
    (
        "5.0",
        Text {
            en: "The receiving server refused the message in the SMTP conversation.",
            ja: "受信側サーバーが SMTP のやり取りの中でメールを拒否しました。",
        },
    ),
    (
        "6.0",
        Text {
            en: "The content of the message was refused.",
            ja: "メールの内容が拒否されました。",
        },
    ),
    (
        "7.0",
        Text {
            en: "Refused by the receiver's policy (often spam filtering or failed authentication).",
            ja: "受信側のポリシーで拒否されました（迷惑メール判定や認証の失敗が多い原因です）。",
        },
    ),
    (
        "7.1",
        Text {
            en: "Refused by the receiver's policy: the sender or its server is not allowed to deliver there.",
            ja: "受信側のポリシーで拒否されました。送信者または送信サーバーからの配送が許可されていません。",
        },
    ),
    (
        "7.20",
        Text {
            en: "No passing DKIM signature (RFC 7372).",
            ja: "有効な DKIM 署名がありません（RFC 7372）。",
        },
    ),
    (
        "7.23",
        Text {
            en: "SPF did not pass for the sending server (RFC 7372).",
            ja: "送信サーバーが SPF 認証に失敗しました（RFC 7372）。",
        },
    ),
    (
        "7.25",
        Text {
            en: "The sending server's reverse DNS (PTR) is missing or does not match.",
            ja: "送信サーバーの逆引き DNS（PTR）がないか、一致していません。",
        },
    ),
    (
        "7.26",
        Text {
            en: "The message failed authentication (SPF, DKIM or the From domain's DMARC policy).",
            ja: "メールが認証（SPF・DKIM、または From ドメインの DMARC ポリシー）に失敗しました。",
        },
    ),
];

/// `x.S` subjects, when the detail is not in [`DETAIL`].
const SUBJECT: &[(&str, Text)] = &[
    (
        "1",
        Text {
            en: "The address was refused.",
            ja: "宛先アドレスが拒否されました。",
        },
    ),
    (
        "2",
        Text {
            en: "The recipient's mailbox cannot take the message.",
            ja: "宛先のメールボックスがメールを受け取れない状態です。",
        },
    ),
    (
        "3",
        Text {
            en: "The receiving mail system cannot take the message.",
            ja: "受信側のメールシステムがメールを受け取れない状態です。",
        },
    ),
    (
        "4",
        Text {
            en: "A network or routing problem stopped delivery.",
            ja: "ネットワークまたは経路の問題で配送できませんでした。",
        },
    ),
    (
        "5",
        Text {
            en: "The SMTP conversation with the receiver failed.",
            ja: "受信側との SMTP のやり取りが失敗しました。",
        },
    ),
    (
        "6",
        Text {
            en: "The content or format of the message was refused.",
            ja: "メールの内容または形式が拒否されました。",
        },
    ),
    (
        "7",
        Text {
            en: "Refused by the receiver's security or policy rules.",
            ja: "受信側のセキュリティ・ポリシーの規則で拒否されました。",
        },
    ),
];

const PERMANENT: Text = Text {
    en: "The receiver refused the message for good; its text says why.",
    ja: "受信側がメールを恒久的に拒否しました。理由は受信側のメッセージに書かれています。",
};
/// `x.4.7`, and any 4.x.x the sending server stopped retrying without
/// more detail.
pub const EXPIRED: Text = Text {
    en: "Delivery took too long and the sending server gave up.",
    ja: "配送に時間がかかりすぎたため、送信側サーバーが配送をあきらめました。",
};
/// A 4.x.x refusal the sending server stopped retrying (too long in its
/// queue): the bounce returned the message.
pub const GAVE_UP: Text = Text {
    en: "The sending server gave up after temporary refusals: send it again once the cause is fixed.",
    ja: "一時的な拒否が続き、送信側サーバーが再送をあきらめました。原因を直して送り直してください。",
};
/// A 4.x.x refusal without more detail.
pub const TEMPORARY: Text = Text {
    en: "The receiver deferred the message; the sending server retries for a while.",
    ja: "受信側がメールの受け取りを一時的に保留しました。送信側サーバーがしばらく再送を試みます。",
};
const UNKNOWN: Text = Text {
    en: "The bounce gives no status code; its text says why.",
    ja: "エラー通知にステータスコードがありません。理由は本文に書かれています。",
};

/// The reason for `status` (`5.1.1`), else for the reply's class.
pub fn reason(status: Option<&str>, reply: Option<u16>) -> Text {
    if let Some(status) = status {
        let mut parts = status.splitn(2, '.');
        let class = parts.next().unwrap_or_default();
        let rest = parts.next().unwrap_or_default();
        // 4.x.x and 5.x.x share the words of their subject and detail; a
        // deferral says so in `temporary`.
        if let Some((_, t)) = DETAIL.iter().find(|(k, _)| *k == rest) {
            return *t;
        }
        let subject = rest.split('.').next().unwrap_or_default();
        if let Some((_, t)) = SUBJECT.iter().find(|(k, _)| *k == subject) {
            return *t;
        }
        match class {
            "4" => return TEMPORARY,
            "5" => return PERMANENT,
            _ => {}
        }
    }
    match reply.map(|r| r / 100) {
        Some(4) => TEMPORARY,
        Some(5) => PERMANENT,
        _ => UNKNOWN,
    }
}

/// Whether RFC 3463 (or RFC 7372) has a row of its own for `x.S.D`
/// (`subject`, `detail`) among the codes Todoku words.
pub fn listed(subject: &str, detail: &str) -> bool {
    DETAIL.iter().any(|(k, _)| {
        k.split_once('.')
            .is_some_and(|(s, d)| s == subject && d == detail)
    })
}

/// The words for what a rejection's own text says (a user unknown, a
/// disabled account…), when its code says only "refused".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaidWords {
    /// A batch row's title for a bounce that says this.
    pub title: Text,
    /// The recipient line's reason, and the decoded code's meaning after
    /// "status 5.0.0:": a sentence.
    pub reason: Text,
    /// What to change.
    pub fix: Text,
}

/// The recipient's mailbox does not exist.
pub const USER_UNKNOWN: SaidWords = SaidWords {
    title: Text {
        en: "Bounced: the recipient's address does not exist",
        ja: "エラー通知：宛先のアドレスが存在しません",
    },
    reason: Text {
        en: "The mailbox does not exist: the address is wrong or no longer in use.",
        ja: "宛先のメールボックスが存在しません。アドレスの誤りか、使われなくなったアドレスです。",
    },
    fix: Text {
        en: "Check the address for typos, or ask the recipient for the right one; remove it from your lists.",
        ja: "アドレスの綴りを確認するか、正しいアドレスを相手に確認してください。宛先リストからは削除してください。",
    },
};

/// The recipient's account is disabled, suspended or closed.
pub const DISABLED: SaidWords = SaidWords {
    title: Text {
        en: "Bounced: the recipient's account is disabled or closed",
        ja: "エラー通知：宛先のアカウントが停止・廃止されています",
    },
    reason: Text {
        en: "The recipient's account is disabled, suspended or closed, and takes no mail.",
        ja: "宛先のアカウントが停止または廃止されていて、メールを受け付けていません。",
    },
    fix: Text {
        en: "Remove the address from your lists; mail to it keeps bouncing. Reach the recipient another way if you need to.",
        ja: "このアドレスを宛先リストから削除してください。送り続けても届きません。連絡が必要なら別の手段を使ってください。",
    },
};

/// The recipient's mailbox is full.
pub const MAILBOX_FULL: SaidWords = SaidWords {
    title: Text {
        en: "Bounced: the recipient's mailbox is full",
        ja: "エラー通知：宛先のメールボックスが満杯です",
    },
    reason: Text {
        en: "The recipient's mailbox is full.",
        ja: "宛先のメールボックスが容量いっぱいです。",
    },
    fix: Text {
        en: "Send again later, or reach the recipient another way.",
        ja: "時間をおいて再送するか、別の手段で相手に連絡してください。",
    },
};

/// The receiver limits the sending IP for its reputation or volume.
pub const RATE_LIMITED: SaidWords = SaidWords {
    title: Text {
        en: "Bounced: the sending IP is limited for its reputation or volume",
        ja: "エラー通知：送信 IP の評判や送信量のため受信が制限されています",
    },
    reason: Text {
        en: "The receiver is limiting mail from the sending server's IP because of its reputation or volume.",
        ja: "受信側が、送信サーバーの IP の評判（レピュテーション）や送信量を理由に、受信を制限しています。",
    },
    fix: Text {
        en: "Slow down: the sending server retries a deferral by itself, but mail that came back must be sent again later. Watch the IP's reputation at the receiver (Outlook.com: SNDS and JMRP; Gmail: Postmaster Tools), remove addresses that never respond, and send only to people who asked.",
        ja: "送信ペースを落としてください。保留なら送信側サーバーが自動で再送しますが、返送されたメールは時間をおいて送り直してください。受信側で IP の評判を確認し（Outlook.com は SNDS と JMRP、Gmail は Postmaster Tools）、反応のない宛先を外して、希望した人にだけ送ってください。",
    },
};

/// The sender was refused (at MAIL FROM, or in words that say so).
pub const SENDER_REJECTED: SaidWords = SaidWords {
    title: Text {
        en: "Bounced: the receiver refused the sender",
        ja: "エラー通知：受信側が送信者を拒否しました",
    },
    reason: Text {
        en: "The receiver refused the sender (the envelope sender's address or its sending server), not the recipient's address.",
        ja: "受信側が拒否したのは送信者（エンベロープの送信者アドレスまたは送信サーバー）で、宛先アドレスの問題ではありません。",
    },
    fix: Text {
        en: "Read the reply for the receiver's reason (often the sending IP or domain on its blocklist). Check the envelope sender's domain and the sending IP's reputation, then ask the receiver to lift the block.",
        ja: "応答文で受信側の理由を確認してください（送信 IP やドメインが受信側のブロックリストに載っていることがよくあります）。エンベロープ送信者のドメインと送信 IP の評判を確認し、受信側に解除を依頼してください。",
    },
};

/// The receiver wants the mail through the sender's provider with SMTP
/// AUTH, not straight from a PC or home network.
pub const USE_SUBMISSION: SaidWords = SaidWords {
    title: Text {
        en: "Bounced: send through your provider's server with SMTP authentication",
        ja: "エラー通知：プロバイダーの送信サーバー（SMTP 認証）経由で送る必要があります",
    },
    reason: Text {
        en: "The receiver takes mail only from authenticated users or mail providers' servers, not straight from a computer's or home network's address, and relays nothing without authentication.",
        ja: "受信側は、認証した利用者やメール事業者の送信サーバーからのメールだけを受け付けます。パソコンや家庭・社内回線のアドレスから直接送られたメールや、認証のない中継は受け付けません。",
    },
    fix: Text {
        en: "In the mail client's account settings, send through your provider's outgoing (SMTP) server on port 587 with SMTP authentication turned on, not straight to the recipient's server.",
        ja: "メールソフトのアカウント設定で、送信サーバー（SMTP）を契約プロバイダーやメールサービスのものにし、ポート 587 と SMTP 認証を有効にしてください。宛先のサーバーへ直接送らないでください。",
    },
};

/// A batch row's title for a bounce whose words name no reason Todoku
/// reads ([`SaidWords::title`] otherwise): refused, deferred, or returned
/// without a code.
pub mod row {
    use super::Text;

    /// Refused for good.
    pub const REJECTED: Text = Text {
        en: "Bounced: rejected by the receiver",
        ja: "エラー通知：受信側に拒否されました",
    };
    /// Deferred: the sending server retries.
    pub const DEFERRED: Text = Text {
        en: "Deferred by the receiver (the sending server retries)",
        ja: "エラー通知：受信側が受け取りを保留しました（送信側サーバーが再送します）",
    };
    /// A bounce with no status code.
    pub const RETURNED: Text = Text {
        en: "Bounced: returned undelivered",
        ja: "エラー通知：配信できずに返送されました",
    };
}

/// Headings the report's front ends show for a whole input.
pub mod heading {
    use super::Text;

    /// Above the analysis of the original message of a bounce.
    pub const REJECTED: Text = Text {
        en: "The message that was rejected",
        ja: "拒否されたメッセージ",
    };
    /// Above the bounce's summary.
    pub const BOUNCE: Text = Text {
        en: "This is a bounce (a delivery failure notice)",
        ja: "これはエラー通知（配信不能通知）です",
    };
    /// When the bounce carries no copy of the original headers.
    pub const NO_ORIGINAL: Text = Text {
        en: "The bounce carries no copy of the original message's headers: the analysis below is of the bounce itself.",
        ja: "エラー通知に元のメッセージのヘッダーが含まれていないため、以下はエラー通知自体の分析です。",
    };
    /// Headers only (text/rfc822-headers): no body to check a signature's body hash.
    pub const HEADERS_ONLY: Text = Text {
        en: "The bounce returned only the original's headers, not its body.",
        ja: "エラー通知には元のメッセージのヘッダーだけが含まれ、本文はありません。",
    };
    /// The first piece of a message/partial: the rest of the original was not returned.
    pub const PARTIAL: Text = Text {
        en: "The bounce returned the first piece of the original (message/partial): its headers and the start of its body.",
        ja: "エラー通知には元のメッセージの最初の断片（message/partial）だけが含まれています。ヘッダーと本文の先頭です。",
    };
    /// Labels of a recipient line.
    pub const RECIPIENT: Text = Text {
        en: "Recipient",
        ja: "宛先",
    };
    /// Status code.
    pub const STATUS: Text = Text {
        en: "Status",
        ja: "ステータス",
    };
    /// Reason.
    pub const REASON: Text = Text {
        en: "Reason",
        ja: "理由",
    };
    /// The server that reported.
    pub const REPORTING_MTA: Text = Text {
        en: "Reported by",
        ja: "通知したサーバー",
    };
    /// The server that refused.
    pub const REMOTE_MTA: Text = Text {
        en: "Refused by",
        ja: "拒否したサーバー",
    };
    /// The receiver's words.
    pub const DIAGNOSTIC: Text = Text {
        en: "Receiver's message",
        ja: "受信側のメッセージ",
    };
}

/// "analysing the attached message (1 of 3)".
pub fn attached(index: usize, count: usize, lang: super::Lang) -> String {
    match lang {
        super::Lang::En => format!("Analysing the attached message ({index} of {count})"),
        super::Lang::Ja => {
            format!("添付されたメッセージを分析しています（{count} 件中 {index} 件目）")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_worded_by_detail_then_subject_then_class() {
        assert_eq!(reason(Some("5.1.1"), None).en, DETAIL[1].1.en);
        assert!(reason(Some("4.2.2"), None).ja.contains("容量"));
        assert_eq!(reason(Some("5.1.99"), None), SUBJECT[0].1);
        assert_eq!(reason(Some("5.9.1"), None), PERMANENT);
        assert_eq!(reason(None, Some(421)), TEMPORARY);
        assert_eq!(reason(None, None), UNKNOWN);
    }
}
