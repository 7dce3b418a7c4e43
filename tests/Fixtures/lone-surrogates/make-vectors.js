// Signs webhook bodies whose strings hold lone surrogates exactly as a Node sender does:
// hash = HMAC-SHA256(secret, JSON.stringify(body without hash)), body sent = JSON.stringify(body with hash).
// JSON.stringify (well-formed since Node 12) writes a lone surrogate as the escape \udXXX.
// Prints a JSON array of vectors on stdout; make_vectors.py collects it into vectors.json.
'use strict';
const crypto = require('crypto');

const secret = 'lone-surrogate-secret';
const cut = 'Hi \u{1F600}'.slice(0, 4); // a string cut inside an emoji: "Hi \ud83d"

const bodies = [
  { name: 'high-surrogate-in-message', body: { status: 'FAILED', request_id: 'req-lone-node-1', message: cut } },
  { name: 'low-surrogate-in-result', body: { status: 'SUCCESS', request_id: 'req-lone-node-2', result: { text: '\ude00 tail', ok: '\u{1F600} whole' } } },
  { name: 'lone-surrogate-in-key', body: { status: 'SUCCESS', request_id: 'req-lone-node-3', result: { ['k\udc00']: 1, note: 'Zo\u00eb' } } },
];

const vectors = bodies.map(({ name, body }) => {
  const hash = crypto.createHmac('sha256', secret).update(JSON.stringify(body), 'utf8').digest('hex');
  return { name, form: 'node', secret, body: JSON.stringify({ ...body, hash }) };
});
process.stdout.write(JSON.stringify(vectors));
