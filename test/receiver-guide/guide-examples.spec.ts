import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

/** The fenced block right after `<!-- example: <path> -->` in the guide, or null. */
function blockAfterMarker(guide: string, path: string): string | null {
  const marker = `<!-- example: ${path} -->`;
  const at = guide.indexOf(marker);
  if (at < 0) return null;
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(guide.slice(at + marker.length));
  return match ? match[1] : null;
}

describe('docs/receiving-webhooks.md', () => {
  const guide = read('docs/receiving-webhooks.md');

  it.each([
    'docs/examples/receiver-node/server.mjs',
    'docs/examples/receiver-python/server.py',
    'docs/examples/receiver-go/main.go',
  ])(
    'given the example %s, when the guide shows it, then its code block is the file byte for byte',
    (path) => {
      expect(blockAfterMarker(guide, path)).toBe(read(path));
    },
  );

  it('given the sender, when the guide names the User-Agent, then it is the one the sender sends', () => {
    const source = read('libs/deliveries/src/signing/webhook-signature.ts');
    const [, userAgent] = /WEBHOOK_USER_AGENT = '([^']+)'/.exec(source) ?? [];

    expect(userAgent).toBeDefined();
    expect(guide).toContain(userAgent);
  });

  it('given the Standard Webhooks test vector in the unit tests, when the guide gives it, then the values agree', () => {
    const spec = read('libs/deliveries/src/signing/webhook-signature.spec.ts');
    for (const value of [
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      '1614265330',
      '{"test": 2432232314}',
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    ]) {
      expect(spec).toContain(value);
      expect(guide).toContain(value);
    }
  });
});
