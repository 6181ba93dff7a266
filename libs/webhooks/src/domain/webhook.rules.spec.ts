import { EVENT_TYPES } from './event-catalogue';
import { WebhookValidationError } from './webhook.errors';
import {
  checkDescription,
  checkEnvironment,
  checkEventTypes,
  checkName,
  checkUrl,
  isValidSecret,
  secretHintOf,
  validateNewWebhookFields,
  validateWebhookFields,
} from './webhook.rules';

const httpsOnly = { allowHttp: false };
const httpAllowed = { allowHttp: true };
const base64OfBytes = (n: number) => Buffer.alloc(n, 7).toString('base64');

describe('webhook rules', () => {
  describe('name', () => {
    it('is trimmed, and accepted when 1 to 100 characters remain', () => {
      expect(checkName('  CRM Sync \n')).toEqual({ ok: true, value: 'CRM Sync' });
      expect(checkName('x')).toEqual({ ok: true, value: 'x' });
      expect(checkName(`  ${'n'.repeat(100)}  `)).toEqual({ ok: true, value: 'n'.repeat(100) });
    });

    it('is rejected at 101 characters', () => {
      expect(checkName('n'.repeat(101))).toEqual({
        ok: false,
        message: 'must be at most 100 characters',
      });
    });

    it('is rejected when empty or only whitespace', () => {
      expect(checkName('')).toMatchObject({ ok: false, message: 'must not be empty' });
      expect(checkName('   ')).toMatchObject({ ok: false, message: 'must not be empty' });
    });

    it('counts characters, not UTF-16 units', () => {
      expect(checkName('🔔'.repeat(100))).toMatchObject({ ok: true });
    });
  });

  describe('url', () => {
    it('accepts an absolute https URL', () => {
      expect(checkUrl(' https://hooks.example.com/x?y=1 ', httpsOnly)).toEqual({
        ok: true,
        value: 'https://hooks.example.com/x?y=1',
      });
    });

    it('rejects http unless allowed', () => {
      expect(checkUrl('http://hooks.example.com', httpsOnly)).toEqual({
        ok: false,
        message: 'must start with https://',
      });
      expect(checkUrl('http://localhost:4000/hook', httpAllowed)).toMatchObject({ ok: true });
    });

    it('rejects other schemes even when http is allowed', () => {
      expect(checkUrl('ftp://example.com/x', httpAllowed)).toEqual({
        ok: false,
        message: 'must start with https:// or http://',
      });
    });

    it('rejects credentials in the URL', () => {
      const noCredentials = { ok: false, message: 'must not contain a user name or password' };
      expect(checkUrl('https://user:secret@example.com/hook', httpsOnly)).toEqual(noCredentials);
      expect(checkUrl('https://user@example.com/hook', httpsOnly)).toEqual(noCredentials);
    });

    it('rejects relative and unparsable URLs', () => {
      const notAbsolute = { ok: false, message: 'must be an absolute URL' };
      expect(checkUrl('/hooks/x', httpsOnly)).toEqual(notAbsolute);
      expect(checkUrl('example.com/hook', httpsOnly)).toEqual(notAbsolute);
      expect(checkUrl('https://', httpsOnly)).toEqual(notAbsolute);
    });

    it('rejects empty URLs and embedded whitespace', () => {
      expect(checkUrl('  ', httpsOnly)).toMatchObject({ ok: false, message: 'must not be empty' });
      expect(checkUrl('https://exam\nple.com', httpsOnly)).toMatchObject({
        ok: false,
        message: 'must not contain whitespace',
      });
    });

    it('accepts 2048 characters and rejects 2049', () => {
      const prefix = 'https://example.com/';
      const at = (length: number) => prefix + 'a'.repeat(length - prefix.length);
      expect(checkUrl(at(2048), httpsOnly)).toMatchObject({ ok: true });
      expect(checkUrl(at(2049), httpsOnly)).toEqual({
        ok: false,
        message: 'must be at most 2048 characters',
      });
    });
  });

  describe('environment', () => {
    it('accepts the three environments and lists them when rejecting', () => {
      for (const env of ['production', 'staging', 'development']) {
        expect(checkEnvironment(env)).toEqual({ ok: true, value: env });
      }
      expect(checkEnvironment('qa')).toEqual({
        ok: false,
        message: 'must be one of: production, staging, development',
      });
    });
  });

  describe('event types', () => {
    it('are deduplicated and put in catalogue order', () => {
      expect(
        checkEventTypes(['activation.failed', 'license.created', 'activation.failed']),
      ).toEqual({ ok: true, value: ['license.created', 'activation.failed'] });
    });

    it('must not be empty', () => {
      expect(checkEventTypes([])).toEqual({
        ok: false,
        message: 'must list at least one event type',
      });
    });

    it('rejects an unknown type, naming it and listing the valid ones', () => {
      const check = checkEventTypes(['license.created', 'license.exploded']);
      expect(check.ok).toBe(false);
      const { message } = check as { message: string };
      expect(message).toContain('"license.exploded"');
      for (const type of EVENT_TYPES) expect(message).toContain(type);
    });
  });

  describe('description', () => {
    it('is optional: absent, null and blank all mean none', () => {
      expect(checkDescription(undefined)).toEqual({ ok: true, value: null });
      expect(checkDescription(null)).toEqual({ ok: true, value: null });
      expect(checkDescription('   ')).toEqual({ ok: true, value: null });
    });

    it('is trimmed and may be 500 characters but not 501', () => {
      expect(checkDescription(' notes ')).toEqual({ ok: true, value: 'notes' });
      expect(checkDescription('d'.repeat(500))).toMatchObject({ ok: true });
      expect(checkDescription('d'.repeat(501))).toEqual({
        ok: false,
        message: 'must be at most 500 characters',
      });
    });
  });

  describe('validating several fields', () => {
    it('reports every violation in one error', () => {
      let error: unknown;
      try {
        validateNewWebhookFields(
          {
            name: ' ',
            url: 'http://example.com',
            environment: 'qa',
            eventTypes: [],
            description: 'd'.repeat(501),
          },
          httpsOnly,
        );
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WebhookValidationError);
      expect((error as WebhookValidationError).fields.map((f) => f.field)).toEqual([
        'name',
        'url',
        'environment',
        'eventTypes',
        'description',
      ]);
    });

    it('checks only the fields given, returning their canonical form', () => {
      expect(validateWebhookFields({ name: ' New name ' }, httpsOnly)).toEqual({
        name: 'New name',
      });
    });

    it('gives a new webhook a null description when none is given', () => {
      const fields = validateNewWebhookFields(
        {
          name: 'CRM Sync',
          url: 'https://example.com',
          environment: 'staging',
          eventTypes: ['product.created'],
        },
        httpsOnly,
      );
      expect(fields.description).toBeNull();
    });
  });

  describe('secret', () => {
    it('accepts the Standard Webhooks test vector secret', () => {
      expect(isValidSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(true);
    });

    it('accepts whsec_ + base64 of 24 to 64 bytes, padded or not', () => {
      expect(isValidSecret(`whsec_${base64OfBytes(24)}`)).toBe(true);
      expect(isValidSecret(`whsec_${base64OfBytes(32)}`)).toBe(true);
      expect(isValidSecret(`whsec_${base64OfBytes(25)}`)).toBe(true);
      expect(isValidSecret(`whsec_${base64OfBytes(64)}`)).toBe(true);
    });

    it('rejects keys shorter than 24 or longer than 64 bytes', () => {
      expect(isValidSecret(`whsec_${base64OfBytes(23)}`)).toBe(false);
      expect(isValidSecret(`whsec_${base64OfBytes(65)}`)).toBe(false);
    });

    it('rejects a missing prefix, an empty key and text that is not base64', () => {
      expect(isValidSecret(base64OfBytes(32))).toBe(false);
      expect(isValidSecret('whsec_')).toBe(false);
      expect(isValidSecret(`whsec_${'!'.repeat(32)}`)).toBe(false);
      expect(isValidSecret(`whsec_${base64OfBytes(32).slice(1)}`)).toBe(false);
    });

    it('hints at a secret without revealing it', () => {
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      expect(secretHintOf(secret)).toBe('whsec_…LaSw');
      expect(secretHintOf(`whsec_${base64OfBytes(25)}`)).not.toMatch(/=$/);
    });
  });
});
