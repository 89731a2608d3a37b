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

/**
 * Sign `headers` (an array of [name, value]) and `body` with the key file in
 * tests/dns/keys; returns the DKIM-Signature field (with CRLF) to put on top.
 */
export function dkimSign({ headers, body, domain, selector, keyFile, signed = ['from', 'to', 'subject', 'date', 'message-id'] }) {
  const key = createPrivateKey(readFileSync(join(repo, 'tests', 'dns', 'keys', keyFile)));
  const bh = createHash('sha256').update(relaxedBody(body)).digest('base64');
  const present = signed.filter((h) => headers.some(([n]) => n.toLowerCase() === h));
  const value = ` v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=${selector}; t=1795424520; h=${present.join(':')}; bh=${bh}; b=`;
  let data = '';
  for (const name of present) {
    const found = [...headers].reverse().find(([n]) => n.toLowerCase() === name);
    data += relaxedHeader(found[0], found[1]);
  }
  data += relaxedHeader('DKIM-Signature', value).replace(/\r\n$/, '');
  const b = sign('sha256', Buffer.from(data), key).toString('base64');
  return `DKIM-Signature:${value}${b}\r\n`;
}

/**
 * A message as it arrived at the receiver: the receiver's Received line for
 * the trusted hop (client `ip` saying HELO `helo`), Return-Path, then the
 * sender's headers, optionally DKIM-signed.
 */
export function message({ ip = '192.0.2.25', helo = 'mail.todoku.test', mailFrom, from, sign: signWith, body = 'Hello.\r\n', tamper = false }) {
  const headers = [
    ['From', ` <${from}>`],
    ['To', ' <hanako@example.net>'],
    ['Subject', ' live check'],
    ['Date', ' Mon, 23 Nov 2026 18:02:01 +0900'],
    ["Message-ID", " <live.20261123180201@todoku.test>"],
  ];
  const dkim = signWith ? dkimSign({ headers, body, ...signWith }) : '';
  const top = [
    `Return-Path: <${mailFrom}>\r\n`,
    `Received: from ${helo} (${helo} [${ip}])\r\n\tby mx.example.net with ESMTPS id abc123\r\n\tfor <hanako@example.net>; Mon, 23 Nov 2026 18:02:04 +0900\r\n`,
  ].join('');
  const sent = headers.map(([n, v]) => `${n}:${v}\r\n`).join('');
  return `${top}${dkim}${sent}\r\n${tamper ? `${body}P.S. added later\r\n` : body}`;
}
