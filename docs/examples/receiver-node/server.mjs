// A webhook receiver with nothing but Node (18+): node:http and node:crypto, no packages.
//   WEBHOOK_SECRET=whsec_... PORT=8080 node server.mjs
// It verifies every request on the raw body before anything else reads it, refuses stale
// timestamps, acknowledges each webhook-id once, and answers fast (do slow work after answering).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const SECRET = process.env.WEBHOOK_SECRET ?? '';
const PORT = Number(process.env.PORT ?? 8080);
const TOLERANCE_SECONDS = 5 * 60;

if (!SECRET.startsWith('whsec_'))
  throw new Error('set WEBHOOK_SECRET to the webhook secret, whsec_...');
// The HMAC key is the base64 after `whsec_`, decoded: not the secret string itself.
const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');

// webhook-ids already handled. In production keep them in your database (with a unique index)
// for longer than the sender retries (the default schedule spans about 28 hours).
const seen = new Set();

/** Throws unless the headers sign exactly these bytes with our secret, recently. */
function verify(headers, rawBody) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) throw new Error('missing webhook-* headers');

  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!/^\d+$/.test(timestamp) || age > TOLERANCE_SECONDS)
    throw new Error('timestamp too old or new');

  const signedContent = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), rawBody]);
  const expected = createHmac('sha256', key).update(signedContent).digest();
  // Space-separated `v1,<base64>` entries: two while a rotated-out secret is in its grace window.
  const matches = signatures.split(' ').some((entry) => {
    const [version, value = ''] = entry.split(',');
    const given = Buffer.from(value, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new Error('no matching signature');
  return id;
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const rawBody = Buffer.concat(chunks);
    let id;
    try {
      id = verify(request.headers, rawBody);
    } catch (error) {
      console.log(JSON.stringify({ rejected: error.message }));
      response.writeHead(401).end();
      return;
    }
    if (seen.has(id)) {
      // A retry of something already handled: acknowledge it again, do nothing twice.
      console.log(JSON.stringify({ duplicate: id }));
      response.writeHead(200).end();
      return;
    }
    seen.add(id);
    // Only now is the body trusted, and parsed.
    const event = JSON.parse(rawBody.toString('utf8'));
    const userAgent = request.headers['user-agent'];
    console.log(JSON.stringify({ accepted: id, type: event.type, userAgent }));
    response.writeHead(200).end();
  });
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
