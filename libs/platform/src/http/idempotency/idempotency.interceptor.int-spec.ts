import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Post,
  Res,
  ServiceUnavailableException,
  type INestApplication,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import mongoose, { type Connection } from 'mongoose';
import { ConfigModule } from '@app/config';
import { startTestApp, type TestApp } from '../../../../../test/support/test-app';
import { signAccessToken } from '../../auth/access-token';
import { Public } from '../../auth/auth.decorators';
import { AuthModule } from '../../auth/auth.module';
import { CryptoModule } from '../../crypto/crypto.module';
import { DatabaseModule } from '../../database/database.module';
import { ProblemDetailsFilter } from '../problem-details.filter';
import { IDEMPOTENCY_COLLECTION } from './idempotency-record';
import { IdempotencyScope } from './idempotency-scope.decorator';
import { MAX_RECORDED_BODY_BYTES } from './idempotency.interceptor';
import { IdempotencyModule } from './idempotency.module';
import { idempotencyScope } from './request-fingerprint';

const JWT_SECRET = 'int-test-signing-key-that-is-long-enough-0123456789';

/** What the routes saw: how often each ran, and the scope each run was given. */
const seen = {
  runs: new Map<string, number>(),
  scopes: new Map<string, Array<string | undefined>>(),
};
function ran(route: string, scope: string | undefined): number {
  const count = (seen.runs.get(route) ?? 0) + 1;
  seen.runs.set(route, count);
  seen.scopes.set(route, [...(seen.scopes.get(route) ?? []), scope]);
  return count;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown, @IdempotencyScope() scope: string | undefined) {
    return { run: ran('create', scope), body };
  }

  /** Unavailable on its first run only, like a database that was down for a moment. */
  @Post('flaky')
  @HttpCode(200)
  flaky(@IdempotencyScope() scope: string | undefined) {
    const run = ran('flaky', scope);
    if (run === 1) throw new ServiceUnavailableException('The store is unavailable.');
    return { run };
  }

  @Post('large')
  large(@IdempotencyScope() scope: string | undefined) {
    return { run: ran('large', scope), padding: 'x'.repeat(MAX_RECORDED_BODY_BYTES) };
  }

  @Public()
  @Post('public')
  open(@IdempotencyScope() scope: string | undefined) {
    return { run: ran('public', scope) };
  }

  /** Written in parts straight to the response, not returned. */
  @Post('stream')
  stream(@Res() response: ServerResponse) {
    const run = ran('stream', undefined);
    response.statusCode = 200;
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.write(`run ${run}, `);
    response.end('the end');
  }

  @Get()
  list(@IdempotencyScope() scope: string | undefined) {
    return { run: ran('list', scope) };
  }
}

@Module({
  imports: [ConfigModule, DatabaseModule, AuthModule, CryptoModule, IdempotencyModule],
  controllers: [ThingsController],
})
class ThingsModule {}

describe('IdempotencyInterceptor (a running app, the real database)', () => {
  let app: TestApp;
  let connection: Connection;
  let keyNumber = 0;
  const newKey = () => `interceptor-${Date.now()}-${++keyNumber}`;
  const token = signAccessToken(JWT_SECRET, { id: 'carol', role: 'admin' }, 600);

  async function post(path: string, key?: string, body?: unknown, method = 'POST') {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(key ? { 'idempotency-key': key } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }
  const records = (path: string, key: string) =>
    connection.collection(IDEMPOTENCY_COLLECTION).countDocuments({
      scope: idempotencyScope({ principalId: 'carol', method: 'POST', path, key }),
    });

  beforeAll(async () => {
    app = await startTestApp(ThingsModule, {
      label: 'idempotency_interceptor',
      env: { AUTH_JWT_SECRET: JWT_SECRET },
      configure: (nest: INestApplication) =>
        nest.useGlobalFilters(new ProblemDetailsFilter(nest.get(HttpAdapterHost))),
    });
    connection = await mongoose.createConnection(app.database.uri).asPromise();
  });

  afterAll(async () => {
    await connection?.close();
    await app?.close();
  });

  it('given a key, when the handler runs, then it gets the scope hash; without a key it gets undefined', async () => {
    const key = newKey();
    await post('/things', key, { a: 1 });
    await post('/things', undefined, { a: 1 });

    expect(seen.scopes.get('create')!.slice(-2)).toEqual([
      idempotencyScope({ principalId: 'carol', method: 'POST', path: '/things', key }),
      undefined,
    ]);
  });

  it('given a 5xx outcome, when retried, then the request runs again, with the same scope, and its success is what is kept', async () => {
    const key = newKey();

    const failed = await post('/things/flaky', key);
    const retried = await post('/things/flaky', key);
    const again = await post('/things/flaky', key);

    expect(failed.status).toBe(503);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(retried.text)).toEqual({ run: 2 });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(retried.text);
    expect(seen.runs.get('flaky')).toBe(2);
    const [first, second] = seen.scopes.get('flaky')!;
    expect(second).toBe(first);
  });

  it('given a response too large to keep, when retried, then it runs again and no record stays behind', async () => {
    const key = newKey();

    const one = await post('/things/large', key);
    const two = await post('/things/large', key);

    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.headers.get('idempotent-replayed')).toBeNull();
    expect(seen.runs.get('large')).toBe(2);
    expect(await records('/things/large', key)).toBe(0);
  });

  it('given a response written in parts, when retried, then the whole body is replayed with its content type', async () => {
    const key = newKey();

    const streamed = await post('/things/stream', key);
    const replayed = await post('/things/stream', key);

    expect(streamed.text).toMatch(/^run \d+, the end$/);
    expect(replayed.text).toBe(streamed.text);
    expect(replayed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('given a route without a caller (@Public), when posted twice with a key, then the key is ignored: it runs twice, nothing is stored', async () => {
    const key = newKey();
    const anonymous = async () =>
      (
        await fetch(`${app.url}/things/public`, {
          method: 'POST',
          headers: { 'idempotency-key': key },
        })
      ).status;

    expect([await anonymous(), await anonymous()]).toEqual([201, 201]);
    expect(seen.runs.get('public')).toBe(2);
    expect(seen.scopes.get('public')).toEqual([undefined, undefined]);
  });

  it('given a key on a GET, when repeated, then it is ignored', async () => {
    const key = newKey();

    const one = await post('/things', key, undefined, 'GET');
    const two = await post('/things', key, undefined, 'GET');

    expect(JSON.parse(two.text).run).toBe(JSON.parse(one.text).run + 1);
    expect(two.headers.get('idempotent-replayed')).toBeNull();
  });
});
