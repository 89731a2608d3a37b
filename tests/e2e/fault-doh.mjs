// A DoH endpoint that misbehaves on purpose, for the fault end-to-end tests.
// Loopback only. Path prefix picks the fault: /refused/, /timeout/, /http403/,
// /http502/, /nocors/, /truncated/, /garbage/, /cnameloop/, /bigtxt/, /wrongq/,
// /otherowner/ (a TXT owned by another name), /tcflag/ (TC set), /json/ (a
// JSON answer), /redirect/ (a 301 to /answer/, which answers properly).
//   node tests/e2e/fault-doh.mjs [port]
import { createServer } from 'node:http';

const port = Number(process.argv[2] || 8090);

function question(query) {
  let i = 12;
  while (query[i] !== 0) i += query[i] + 1;
  return query.subarray(12, i + 5);
}

// A domain name in wire form, uncompressed.
function name(s) {
  return Buffer.concat([...s.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
}

// A record owned by the question name (a pointer to it), or by `owner`.
function rr(type, rdata, owner) {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2); // IN
  head.writeUInt32BE(300, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner ? name(owner) : Buffer.from([0xc0, 0x0c]), head, rdata]);
}

function response(query, { rcode = 0, answers = [], q = question(query), flags = 0x8180 } = {}) {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0, 0);
  head.writeUInt16BE(flags | rcode, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(answers.length, 6);
  return Buffer.concat([head, q, ...answers]);
}

function txt(text) {
  const parts = [];
  for (let i = 0; i < text.length; i += 250) {
    const s = Buffer.from(text.slice(i, i + 250));
    parts.push(Buffer.from([s.length]), s);
  }
  return Buffer.concat(parts);
}

const cors = { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/dns-message' };

createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const fault = url.pathname.split('/')[1];
  const query = Buffer.from(url.searchParams.get('dns') || '', 'base64url');
  if (query.length < 17) {
    res.writeHead(400, cors);
    return res.end();
  }
  switch (fault) {
    case 'refused':
      res.writeHead(200, cors);
      return res.end(response(query, { rcode: 5 }));
    case 'timeout':
      setTimeout(() => res.destroy(), 20_000);
      return;
    case 'http403':
      res.writeHead(403, { 'Access-Control-Allow-Origin': '*' });
      return res.end('forbidden');
    case 'http502':
      res.writeHead(502, { 'Access-Control-Allow-Origin': '*' });
      return res.end('bad gateway');
    case 'nocors':
      res.writeHead(200, { 'Content-Type': 'application/dns-message' });
      return res.end(response(query, { answers: [rr(16, txt('v=DMARC1; p=none'))] }));
    case 'truncated':
      res.writeHead(200, cors);
      return res.end(response(query, { answers: [rr(16, txt('v=DMARC1; p=none'))] }).subarray(0, 20));
    case 'garbage':
      res.writeHead(200, { ...cors, 'Content-Type': 'text/html' });
      return res.end('<html><body>Blocked by your network administrator</body></html>');
    case 'cnameloop': {
      // a -> b -> a: CNAMEs pointing at each other, no TXT at the end.
      res.writeHead(200, cors);
      return res.end(response(query, { answers: [rr(5, name('a.loop.test')), rr(5, name('b.loop.test'))] }));
    }
    case 'bigtxt':
      res.writeHead(200, cors);
      return res.end(response(query, { answers: [rr(16, txt('v=DMARC1; p=none; x=' + 'a'.repeat(64_000)))] }));
    case 'wrongq': {
      const other = Buffer.from([5, ...Buffer.from('other'), 4, ...Buffer.from('test'), 0, 0, 16, 0, 1]);
      res.writeHead(200, cors);
      return res.end(response(query, { q: other }));
    }
    case 'otherowner':
      // The record is another name's: the question has no answer.
      res.writeHead(200, cors);
      return res.end(response(query, { answers: [rr(16, txt('v=DMARC1; p=reject'), 'elsewhere.test')] }));
    case 'tcflag':
      // A whole message, but flagged as a partial answer.
      res.writeHead(200, cors);
      return res.end(response(query, { answers: [rr(16, txt('v=DMARC1; p=none'))], flags: 0x8380 }));
    case 'json':
      res.writeHead(200, { ...cors, 'Content-Type': 'application/dns-json' });
      return res.end(JSON.stringify({ Status: 0, Answer: [{ name: 'x', type: 16, TTL: 300, data: '"v=DMARC1; p=none"' }] }));
    case 'redirect':
      // Elsewhere, a resolver that answers: the page must not go there.
      res.writeHead(301, { 'Access-Control-Allow-Origin': '*', Location: `/answer${url.pathname.slice('/redirect'.length)}${url.search}` });
      return res.end();
    case 'answer':
      res.writeHead(200, cors);
      return res.end(response(query, { answers: [rr(16, txt('v=DMARC1; p=none'))] }));
    default:
      res.writeHead(404, cors);
      return res.end();
  }
}).listen(port, '127.0.0.1', () => console.log(`fault DoH on http://127.0.0.1:${port}/<fault>/dns-query`));
