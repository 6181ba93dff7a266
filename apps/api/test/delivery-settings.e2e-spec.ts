import { signAccessToken, type Role } from '@app/platform';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const JWT_SECRET = 'e2e-test-signing-key-that-is-long-enough-0123456789';
const USER_AGENT = 'LMP-Webhooks/1.0 (+https://www.standardwebhooks.com/)';

describe('delivery settings: what receivers must allow (running api)', () => {
  const token = (role: Role) => signAccessToken(JWT_SECRET, { id: `${role}-user`, role }, 600);

  async function get(api: TestApp, role: Role | null) {
    const response = await fetch(`${api.url}/api/v1/delivery-settings`, {
      headers: role ? { authorization: `Bearer ${token(role)}` } : {},
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  describe('given DELIVERY_EGRESS_IPS is set', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'api_delivery_settings',
        configure: configureApi,
        env: {
          AUTH_JWT_SECRET: JWT_SECRET,
          DELIVERY_EGRESS_IPS: '203.0.113.7, 198.51.100.0/24,2001:db8:10::/48',
        },
      });
    });

    afterAll(() => api?.close());

    it('when a viewer asks, then the egress addresses and the User-Agent sent are served as configured', async () => {
      const { status, body } = await get(api, 'viewer');

      expect(status).toBe(200);
      expect(body).toEqual({
        egressIps: ['203.0.113.7', '198.51.100.0/24', '2001:db8:10::/48'],
        userAgent: USER_AGENT,
      });
    });

    it('when no token is sent, then 401', async () => {
      expect((await get(api, null)).status).toBe(401);
    });
  });

  describe('given no DELIVERY_EGRESS_IPS', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'api_delivery_settings_none',
        configure: configureApi,
        env: { AUTH_JWT_SECRET: JWT_SECRET },
      });
    });

    afterAll(() => api?.close());

    it('when an auditor asks, then the list is empty (none announced)', async () => {
      const { status, body } = await get(api, 'auditor');

      expect(status).toBe(200);
      expect(body).toEqual({ egressIps: [], userAgent: USER_AGENT });
    });
  });
});
