import { existsSync, readFileSync } from 'node:fs';
import { EVENT_DATA_SCHEMAS } from '@app/platform-events';
import { PAYLOADS_DOC, REGENERATE, renderPayloadsDoc } from './generate-payloads-doc';

describe('docs/payloads.md', () => {
  const generated = renderPayloadsDoc();

  it('given the schemas in the code, when the page is generated, then the committed page is the same', () => {
    const committed = existsSync(PAYLOADS_DOC) ? readFileSync(PAYLOADS_DOC, 'utf8') : '';
    if (committed !== generated) {
      throw new Error(
        `docs/payloads.md is stale: it no longer matches EVENT_DATA_SCHEMAS. Run \`${REGENERATE}\` and commit it.`,
      );
    }
  });

  it('given every event type, when the page is generated, then it has a section with its example', () => {
    for (const [type, { example }] of Object.entries(EVENT_DATA_SCHEMAS)) {
      expect(generated).toContain(`### \`${type}\``);
      expect(generated).toContain(Object.keys(example)[0]);
    }
  });
});
