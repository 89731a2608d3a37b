// Issue 18: finding English sentences in Japanese text. The same detector as
// crates/todoku-cli/tests/ja_text.rs (the CLI half), ported line by line, with
// the same dictionary of common English words (read from that file, so the two
// halves never drift apart).
//
// An English sentence is a run of ASCII words (separated only by spaces and
// light punctuation, never by a dot, `=`, `@`, `_` or a Japanese character, so
// domains, ids, `tag=value` pairs and addresses break runs) of at least three
// words, two or more of them common English words. A run found in the input
// (single-spaced, lower-cased) is text of the message itself, and allowed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './helpers.mjs';

function dictionary() {
  const src = readFileSync(join(repo, 'crates', 'todoku-cli', 'tests', 'ja_text.rs'), 'utf8');
  const m = src.match(/const COMMON: &\[&str\] = &\[([\s\S]*?)\];/);
  if (!m) throw new Error('COMMON not found in crates/todoku-cli/tests/ja_text.rs');
  const words = [...m[1].matchAll(/"([^"]*)"/g)].map((w) => w[1]);
  if (words.length < 100) throw new Error(`only ${words.length} common words read`);
  return new Set(words);
}

const COMMON = dictionary();

const isWord = (c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === "'";
const isDigit = (c) => c >= '0' && c <= '9';
const isAlnum = (c) => c !== undefined && (isWord(c) && c !== "'" || isDigit(c));
/** Separators that keep a run of words going: spaces and light punctuation. */
const keepsRun = (c) => ' ,():;-/"?!'.includes(c) || isDigit(c);

/**
 * Product names made of common English words, which Japanese text keeps in
 * English (Microsoft's Japanese pages say "Outlook on the web" too). The
 * page-level check masks them before the detector runs; the CLI never shows
 * them (they are in the page's getting-started help).
 */
export const PRODUCT_NAMES = ['Outlook on the web'];

/** `line` with each product name replaced by a mark that ends a run. */
export function withoutProductNames(line) {
  return PRODUCT_NAMES.reduce((l, name) => l.split(name).join('〈製品名〉'), line);
}

/** `text` with every run of white space as one space. */
export function singleSpaced(text) {
  return text.split(/\s+/).filter(Boolean).join(' ');
}

/** The input as the detector compares it: soft breaks joined, lower case, single-spaced. */
export function inputForComparison(text) {
  return singleSpaced(text.replace(/=\r\n/g, '').replace(/=\n/g, '').toLowerCase());
}

/** The English sentences in `line` that are not in `inputLower`. */
export function englishRuns(line, inputLower) {
  const s = line;
  const found = [];
  let i = 0;
  while (i < s.length) {
    if (!isWord(s[i])) {
      i += 1;
      continue;
    }
    const start = i;
    const words = [];
    let end = i;
    for (;;) {
      const w0 = i;
      while (i < s.length && isWord(s[i])) i += 1;
      // A word glued to a dot, `=`, `@`, `_` or a bracket is part of a name
      // (domain, id, tag): it ends the run and does not count.
      const glued = (j) => '.=@_[]'.includes(s[j] ?? ' ') && isAlnum(s[j + 1]);
      if (glued(i) || (w0 > 0 && '.=@_'.includes(s[w0 - 1]))) {
        while (i < s.length && !' ,;)'.includes(s[i]) && s.charCodeAt(i) < 128) i += 1;
        break;
      }
      words.push(s.slice(w0, i));
      end = i;
      let j = i;
      while (j < s.length && keepsRun(s[j])) j += 1;
      if (j < s.length && isWord(s[j]) && j > i) {
        i = j;
      } else {
        i = Math.max(i, j);
        break;
      }
    }
    const common = words.filter((w) => COMMON.has(w.toLowerCase())).length;
    if (words.length >= 3 && common >= 2) {
      const run = s.slice(start, end);
      if (!inputLower.includes(singleSpaced(run.toLowerCase()))) found.push(run);
    }
    if (i === start) i += 1;
  }
  return found;
}
