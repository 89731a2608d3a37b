// A small, independent DKIM signer (relaxed/relaxed, rsa-sha256) on Node's
// crypto, so the end-to-end tests can sign messages with the test keys in
// tests/dns/keys. Being a second implementation, it also cross-checks the
// Rust verifier: a mistake in either shows up as a failing signature.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './helpers.mjs';

const relaxedHeader = (name, value) =>
  `${name.toLowerCase().trim()}:${value.replace(/\r?\n(?=[ \t])/g, '').replace(/[ \t]+/g, ' ').trim()}\r\n`;

function relaxedBody(body) {
  const lines = body.replace(/\r?\n/g, '\n').split('\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

const loadKey = (keyFile) => createPrivateKey(readFileSync(join(repo, 'tests', 'dns', 'keys', keyFile)));
const bodyHash = (body) => createHash('sha256').update(relaxedBody(body)).digest('base64');

/** A signature field `name: value<b>`: the chosen headers (bottom-up), then the field itself with b= empty. */
function signFields({ name, value, headers, signed, key }) {
  let data = '';
  for (const h of signed) {
    const found = [...headers].reverse().find(([n]) => n.toLowerCase() === h);
    data += relaxedHeader(found[0], found[1]);
  }
  data += relaxedHeader(name, value).replace(/\r\n$/, '');
  return `${name}:${value}${sign('sha256', Buffer.from(data), key).toString('base64')}\r\n`;
}

/**
 * Sign `headers` (an array of [name, value]) and `body` with the key file in
 * tests/dns/keys; returns the DKIM-Signature field (with CRLF) to put on top.
 */
export function dkimSign({ headers, body, domain, selector, keyFile, signed = ['from', 'to', 'subject', 'date', 'message-id'] }) {
  const present = signed.filter((h) => headers.some(([n]) => n.toLowerCase() === h));
  const value = ` v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=${selector}; t=1795424520; h=${present.join(':')}; bh=${bodyHash(body)}; b=`;
  return signFields({ name: 'DKIM-Signature', value, headers, signed: present, key: loadKey(keyFile) });
}

/**
 * Seal one ARC set (i=1, cv=none; RFC 8617) as an intermediary would: the
 * ARC-Authentication-Results, an ARC-Message-Signature over `headers` and
 * `body`, and the ARC-Seal over those two and itself. Returns the three
 * fields, seal first.
 */
export function arcSeal({ headers, body, domain, selector, keyFile }) {
  const key = loadKey(keyFile);
  const aarValue = ` i=1; lists.${domain}; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}`;
  const signed = ['from', 'to', 'subject', 'date', 'message-id'].filter((h) => headers.some(([n]) => n.toLowerCase() === h));
  const ams = signFields({
    name: 'ARC-Message-Signature',
    value: ` i=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=${selector}; t=1795424521; h=${signed.join(':')}; bh=${bodyHash(body)}; b=`,
    headers,
    signed,
    key,
  });
  const amsValue = ams.slice('ARC-Message-Signature:'.length, -2);
  const sealValue = ` i=1; a=rsa-sha256; cv=none; d=${domain}; s=${selector}; t=1795424521; b=`;
  const data =
    relaxedHeader('ARC-Authentication-Results', aarValue) +
    relaxedHeader('ARC-Message-Signature', amsValue) +
    relaxedHeader('ARC-Seal', sealValue).replace(/\r\n$/, '');
  const seal = `ARC-Seal:${sealValue}${sign('sha256', Buffer.from(data), key).toString('base64')}\r\n`;
  return `${seal}${ams}ARC-Authentication-Results:${aarValue}\r\n`;
}

/**
 * A message as it arrived at the receiver: the receiver's Received line for
 * the trusted hop (client `ip` saying HELO `helo`), Return-Path, then the
 * sender's headers, optionally DKIM-signed.
 */
export function message({ ip = '192.0.2.25', helo = 'mail.todoku.test', mailFrom, from, sign: signWith, arc, body = 'Hello.\r\n', tamper = false }) {
  const headers = [
    ['From', ` <${from}>`],
    ['To', ' <hanako@example.net>'],
    ['Subject', ' live check'],
    ['Date', ' Mon, 23 Nov 2026 18:02:01 +0900'],
    ["Message-ID", " <live.20261123180201@todoku.test>"],
  ];
  const dkim = signWith ? dkimSign({ headers, body, ...signWith }) : '';
  const sealed = arc ? arcSeal({ headers, body, ...arc }) : '';
  const top = [
    `Return-Path: <${mailFrom}>\r\n`,
    `Received: from ${helo} (${helo} [${ip}])\r\n\tby mx.example.net with ESMTPS id abc123\r\n\tfor <hanako@example.net>; Mon, 23 Nov 2026 18:02:04 +0900\r\n`,
  ].join('');
  const sent = headers.map(([n, v]) => `${n}:${v}\r\n`).join('');
  return `${top}${sealed}${dkim}${sent}\r\n${tamper ? `${body}P.S. added later\r\n` : body}`;
}
