// DNS for the diagnosis scenarios (tests/scenarios/*.txt): the `# zone:`
// lines become DNS wire answers, served to the page by intercepting its
// DoH GETs. Each scenario has its own DNS (they reuse names like shop.test
// with different records), which one Knot instance could not serve at once.

const TYPES = { A: 1, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };

/** Parse a scenario file: its metadata and the message without `#` lines. */
export function parseScenario(text) {
  const meta = { expect: [], forbid: [], outlook: null, verdict: null, noErrors: false, subject: null, zone: [], checks: [], details: [], bounce: null, offline: false };
  const body = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('# ')) {
      body.push(line);
      continue;
    }
    const m = line.slice(2);
    const words = (v) => v.trim().split(/\s+/).filter(Boolean);
    if (m.startsWith('expect:')) meta.expect = words(m.slice(7));
    else if (m.startsWith('forbid:')) meta.forbid = words(m.slice(7));
    else if (m.startsWith('outlook:')) meta.outlook = m.slice(8).trim();
    else if (m.startsWith('subject:')) meta.subject = m.slice(8).trim();
    else if (m.startsWith('verdict:')) meta.verdict = m.slice(8).trim();
    else if (m.trim() === 'no-errors') meta.noErrors = true;
    else if (m.trim() === 'offline') meta.offline = true;
    else if (m.startsWith('bounce:')) {
      const codes = words(m.slice(7));
      meta.bounce = codes.length === 1 && codes[0] === 'none' ? [] : codes;
    }
    else if (m.startsWith('detail:')) {
      const [id, ...text] = m.slice(7).trim().split(' ');
      meta.details.push({ id, text: text.join(' ') });
    } else if (m.startsWith('check:')) {
      const [path, state] = words(m.slice(6));
      const [list, item] = path.split('.');
      meta.checks.push({ list, item, state });
    }
    else if (m.startsWith('zone:')) {
      const [name, type, ...rest] = m.slice(5).trim().split(' ');
      meta.zone.push({ name: name.toLowerCase(), type, value: rest.join(' ') });
    }
  }
  return { meta, message: body.join('\r\n') };
}

function encodeName(name) {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  const out = [];
  for (const p of parts) {
    const b = Buffer.from(p, 'ascii');
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

function rdata(type, value) {
  switch (type) {
    case 'A':
      return value.split('.').map(Number);
    case 'AAAA': {
      const [head, tail = ''] = value.split('::');
      const h = head ? head.split(':') : [];
      const t = tail ? tail.split(':') : [];
      const groups = value.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
      return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
    }
    case 'PTR':
      return encodeName(value);
    case 'MX': {
      const [pref, host] = value.split(' ');
      return [Number(pref) >> 8, Number(pref) & 255, ...encodeName(host)];
    }
    case 'TXT': {
      const bytes = Buffer.from(value, 'utf8');
      const out = [];
      for (let i = 0; i < bytes.length || i === 0; i += 255) {
        const chunk = bytes.subarray(i, i + 255);
        out.push(chunk.length, ...chunk);
        if (bytes.length === 0) break;
      }
      return out;
    }
    default:
      throw new Error(`unknown type ${type}`);
  }
}

/** The DNS answer to a wire-format query, from `zone`. */
export function answer(query, zone) {
  // Question: after the 12-byte header, labels up to the root, then type and class.
  let i = 12;
  const labels = [];
  while (query[i] !== 0) {
    labels.push(query.subarray(i + 1, i + 1 + query[i]).toString('ascii'));
    i += query[i] + 1;
  }
  const qname = labels.join('.').toLowerCase();
  const qtype = query.readUInt16BE(i + 1);
  const question = query.subarray(12, i + 5);
  const atName = zone.filter((r) => r.name === qname);
  const servfail = atName.some((r) => r.type === 'SERVFAIL');
  const records = atName.filter((r) => TYPES[r.type] === qtype);
  const rcode = servfail ? 2 : atName.length === 0 ? 3 : 0;
  const header = [0, 0, 0x81, 0x80 | rcode, 0, 1, 0, servfail ? 0 : records.length, 0, 0, 0, 0];
  const answers = servfail
    ? []
    : records.flatMap((r) => {
        const data = rdata(r.type, r.value);
        return [0xc0, 12, 0, qtype, 0, 1, 0, 0, 1, 44, data.length >> 8, data.length & 255, ...data];
      });
  return Buffer.from([...header, ...question, ...answers]);
}

/** Serve `zone` to the page for every GET to the DoH endpoint `endpoint`, each answer after `delayMs`. */
export async function serveZone(page, endpoint, zone, delayMs = 0) {
  await page.route((url) => url.href.startsWith(endpoint), async (route) => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const dns = new URL(route.request().url()).searchParams.get('dns');
    const query = Buffer.from(dns.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'application/dns-message', 'access-control-allow-origin': '*' },
      body: answer(query, zone),
    });
  });
}
