#!/usr/bin/env bash
# Seeds for one fuzz target: tests/fuzz/big-seeds.sh TARGET DIR fills DIR with
#   - the committed seeds of the target's input kind (tests/fuzz/seeds/),
#   - for targets that read "zone, %%, message": every tests/scenarios
#     message with its "# zone:" lines, in the zone format of tests/fuzz/src/lib.rs,
#   - large seeds (about 250 KB, under the fuzz step's -max_len=262144) built
#     so that work growing faster than the input (a quadratic loop, an
#     expansion) shows as a slow input, which -timeout turns into a failure.
# scripts/test.sh calls it for every target `cargo fuzz list` names; a target
# it does not know gets the large header blocks. By hand:
#   tests/fuzz/big-seeds.sh live /tmp/seeds-live
#   cargo +$(cat tests/fuzz/nightly) fuzz run --fuzz-dir tests/fuzz live /tmp/corpus /tmp/seeds-live -- -max_len=262144 -timeout=5
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
target=${1:?usage: big-seeds.sh TARGET DIR}
out=${2:?usage: big-seeds.sh TARGET DIR}
mkdir -p "$out"
size=250000

# rep TEXT BYTES: TEXT over and over on one line, cut to BYTES bytes.
rep() { yes -- "$1" | tr -d '\n' | head -c "$2" || true; }
# lines TEXT BYTES: TEXT as a line, over and over, cut to BYTES bytes.
lines() { yes -- "$1" | head -c "$2" || true; }

ed25519_key='v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='
body_hash='47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
headers() { # the end of a plain message: From to Message-ID, empty line, body
  printf 'From: Taro <taro@shop.test>\r\nTo: hanako@example.net\r\nSubject: s\r\nDate: Mon, 23 Nov 2026 20:15:02 +0900\r\nMessage-ID: <1@shop.test>\r\n\r\nbody\r\n'
}
zone() { # a zone that answers every question with something usable
  printf '%s\n' \
    "* TXT v=spf1 a mx include:_spf.shop.test -all" \
    "_dmarc.shop.test TXT v=DMARC1; p=reject; rua=mailto:d@shop.test" \
    "* TXT $ed25519_key" \
    "* A 192.0.2.25" "* AAAA 2001:db8::25" "* MX 10 mail.shop.test" "* PTR mail.shop.test"
}
received='Received: from mail.shop.test (mail.shop.test [192.0.2.25]) by mx.example.net (Postfix) with ESMTPS id 6Tg5Hn for <hanako@example.net>; Mon, 23 Nov 2026 20:15:03 +0900'

case $target in
  dkim_verify | arc | live | export | cli_text) kind=zone-message ;;
  analyze | received | raw_message | authres | dkim_signature | doh_decode) kind=message ;;
  *) kind=$target ;;
esac
if [ -d "tests/fuzz/seeds/$kind" ]; then
  cp "tests/fuzz/seeds/$kind"/* "$out/"
fi

case $kind in
  zone-message)
    for f in tests/scenarios/*.txt; do
      {
        sed -n 's/^# zone: //p' "$f" | sed -E 's/^([^ ]+) SERVFAIL.*/\1 TXT !servfail/'
        printf '%%%%\n'
        grep -v '^# ' "$f"
      } >"$out/scenario-$(basename "$f" .txt)"
    done
    # Thousands of hops before the trust boundary.
    { zone; printf '%%%%\n'; lines "$received" $size; headers; } >"$out/big-received"
    # Many signatures, each asking for a key and verifying.
    { zone; printf '%%%%\n'
      lines "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=shop.test; s=s1; h=from:to:subject; bh=$body_hash; b=AAAA" $size
      headers; } >"$out/big-dkim-signatures"
    # One signature whose h= names a field that is there thousands of times.
    { zone; printf '%%%%\n'
      printf 'DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=shop.test; s=s1; bh=%s; b=AAAA; h=' "$body_hash"
      rep 'x-a:' $((size / 2)); printf 'from\r\n'
      lines 'X-A: 1' $((size / 2 - 100)); headers; } >"$out/big-dkim-h"
    # ARC sets by the thousand, instances 1 to 50 over and over.
    { zone; printf '%%%%\n'
      for i in $(seq 1 50); do
        printf 'ARC-Seal: i=%s; a=ed25519-sha256; cv=pass; d=relay.test; s=arc; b=AAAA\r\n' "$i"
        printf 'ARC-Message-Signature: i=%s; a=ed25519-sha256; c=relaxed/relaxed; d=relay.test; s=arc; h=from:to:subject; bh=%s; b=AAAA\r\n' "$i" "$body_hash"
        printf 'ARC-Authentication-Results: i=%s; relay.test; dkim=pass header.d=shop.test\r\n' "$i"
      done
      lines 'ARC-Seal: i=1; a=ed25519-sha256; cv=none; d=relay.test; s=arc; b=AAAA' $((size - 30000))
      headers; } >"$out/big-arc"
    # A zone of thousands of lines and a 100 KB SPF record.
    { lines 'shop.test TXT v=spf1 include:_spf.shop.test -all' $((size / 2))
      printf '_spf.shop.test TXT v=spf1 '; rep 'ip4:198.51.100.1 ' $((size / 2 - 5000)); printf ' -all\n'
      printf '%%%%\nReturn-Path: <taro@shop.test>\r\n%s\r\n' "$received"; headers; } >"$out/big-zone"
    # Authentication-Results with thousands of results.
    { zone; printf '%%%%\n%s\r\nAuthentication-Results: mx.example.net; ' "$received"
      rep 'dkim=pass header.d=shop.test header.s=s1; spf=fail smtp.mailfrom=shop.test; ' $((size - 2000))
      printf '\r\n'; headers; } >"$out/big-authres"
    ;;
  spf_record)
    { printf 'taro@shop.test mail.shop.test\nv=spf1 '; rep 'ip4:192.0.2.1 a:%{d}.%{ir}.x mx/24//64 include:_s.%{l1r-}.%{d} ' $size; printf ' -all\n'; } >"$out/big-record"
    { printf 'taro@shop.test mail.shop.test\n'; rep '%{ir}.%{d2}.%{l1r+-}.%%.%_' $size; } >"$out/big-macro-string"
    { printf '%s@shop.test mail.shop.test\n' "$(rep 'a.' 20000)"; rep '%{s}%{l}%{o}' $((size - 40000)); } >"$out/big-macro-expansion"
    ;;
  spf_check)
    { printf '192.0.2.25 taro@shop.test mail.shop.test\nshop.test TXT v=spf1 '; rep 'ip4:198.51.100.1 ' $size; printf ' -all\n'; } >"$out/big-record"
    { printf '192.0.2.25 taro@shop.test mail.shop.test\n'
      printf 'shop.test TXT v=spf1 include:a.shop.test mx a ptr exists:%%{ir}.%%{d} -all exp=exp.shop.test\n'
      lines '* TXT v=spf1 include:b.shop.test include:c.shop.test redirect=d.shop.test' $((size / 2))
      lines '* MX 10 mail.shop.test' $((size / 4)); lines '* A 192.0.2.26' $((size / 4)); } >"$out/big-zone"
    { printf '192.0.2.25 %s@shop.test mail.shop.test\n' "$(rep 'a.' 20000)"
      printf 'shop.test TXT v=spf1 -all exp=exp.shop.test\nexp.shop.test TXT '; rep '%{s}' $((size - 45000)); printf '\n'; } >"$out/big-explanation"
    ;;
  dmarc_record)
    { printf 'mail.shop.test\nv=DMARC1; p=reject; rua='; rep 'mailto:d@shop.test,' $size; } >"$out/big-rua"
    { rep 'a.' $size; printf '\nv=DMARC1; p=none\n'; } >"$out/big-domain"
    { printf 'shop.test\nv=DMARC1; p=none'; rep '; x=y' $size; } >"$out/big-tags"
    ;;
  dkim_key)
    { printf '\0v=DKIM1; k=rsa; p='; rep 'AAAA' $size; } >"$out/big-p"
    { printf '\0v=DKIM1; k=rsa'; rep '; h=sha256:sha1:x' $size; printf '; p=\n'; } >"$out/big-tags"
    # A bare RSAPublicKey of about 200 KB: a 3-byte DER length.
    { printf '\001\060\203\003\015\114\002\203\003\015\102\000\301'; head -c 200000 /dev/zero | tr '\0' 'Z'; printf '\002\003\001\000\001'; } >"$out/big-der"
    ;;
  dkim_canon)
    { printf 'From: '; rep $' a  \t b\r\n \t' $((size / 2)); printf '\r\n\n'; lines $' x  y  \t ' $((size / 2)); } >"$out/big-folding"
    { lines 'X-A: 1' $size; } >"$out/big-fields"
    { printf 'X: 1\n\n'; lines '' $size; } >"$out/big-blank-body"
    ;;
  iprev)
    { printf '192.0.2.25 mail.shop.test\n'
      lines '25.2.0.192.in-addr.arpa PTR other.shop.test' $((size / 2))
      lines '* A 192.0.2.26' $((size / 2)); } >"$out/big-ptr"
    { printf '192.0.2.25 mail.shop.test\n* PTR mail.shop.test\n'; lines 'mail.shop.test A 192.0.2.26' $size; } >"$out/big-a"
    ;;
  *) # message: header blocks
    { lines "$received" $size; headers; } >"$out/big-received"
    { printf 'Subject: a'; lines ' folded' $size; headers; } >"$out/big-folded"
    { rep $'X-A: 1\r' $size; } >"$out/big-cr-only"
    { printf 'Subject: '; rep '=?UTF-8?B?44GC?= ' $size; printf '\r\n'; headers; } >"$out/big-encoded-words"
    { printf 'Authentication-Results: mx.example.net; '; rep 'dkim=pass (a (b (c) d) e) header.d=shop.test; ' $size; printf '\r\n'; headers; } >"$out/big-authres"
    ;;
esac
