import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpException,
  INestApplication,
  Logger,
  NotFoundException,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, IsUrl, Min, ValidateNested } from 'class-validator';
import { lastValueFrom, Observable } from 'rxjs';
import request from 'supertest';
import type { ArgumentsHost } from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';
import { ProblemMapperRegistry } from './problem-details';
import { RequestValidationError } from './request-validation.error';
import { createValidationPipe } from './validation.pipe';

class WidgetNotFoundError extends Error {
  override readonly name = 'WidgetNotFoundError';
  constructor(readonly widgetId: string) {
    super(`widget ${widgetId} does not exist (collection widgets_v2, shard 3)`);
  }
}

/** A subclass with no mapping of its own uses its base class's. */
class DeletedWidgetError extends WidgetNotFoundError {}

class ConcurrencyError extends Error {
  constructor(readonly currentVersion: number) {
    super('stale version');
  }
}

class BrokenMapperError extends Error {}
class BadStatusError extends Error {}
class LocallyMappedError extends Error {}

class Header {
  @IsString()
  name: string;
}

class Endpoint {
  @IsUrl({ require_protocol: true })
  url: string;

  @ValidateNested({ each: true })
  @Type(() => Header)
  headers: Header[];
}

class CreateWidget {
  @IsString()
  name: string;

  @IsInt()
  @Min(1)
  size: number;

  @ValidateNested()
  @Type(() => Endpoint)
  endpoint: Endpoint;

  @ArrayMinSize(1)
  @IsString({ each: true })
  tags: string[];
}

@Controller('widgets')
class WidgetsController {
  @Get('boom')
  boom(): never {
    throw new Error('connection to mongodb://admin:hunter2@db failed');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('Only owners may do this.');
  }

  @Get('unavailable')
  unavailable(): never {
    throw new ServiceUnavailableException('The event store is unavailable.');
  }

  @Get('custom-body')
  customBody(): never {
    throw new HttpException({ message: 'Slow down.', retryIn: 5 }, 429);
  }

  @Get('validation')
  validation(): never {
    throw new RequestValidationError([{ field: 'events', message: 'unknown event type x.y' }]);
  }

  @Get('broken-mapper')
  brokenMapper(): never {
    throw new BrokenMapperError('internal detail of the broken mapper');
  }

  @Get('bad-status')
  badStatus(): never {
    throw new BadStatusError('internal detail of the bad status');
  }

  @Get('locally-mapped')
  locallyMapped(): never {
    throw new LocallyMappedError();
  }

  @Get('thrown-string')
  throwsString(): never {
    throw 'a string, not an Error' as unknown as Error;
  }

  @Get('stale/:version')
  stale(@Param('version') version: string): never {
    throw new ConcurrencyError(Number(version));
  }

  @Get(':id')
  find(@Param('id') id: string): never {
    if (id === 'deleted') throw new DeletedWidgetError(id);
    if (id === 'nest') throw new NotFoundException(`Widget ${id} not found.`);
    throw new WidgetNotFoundError(id);
  }

  @Post()
  create(@Body() body: CreateWidget) {
    return { created: body instanceof CreateWidget, body };
  }
}

describe('ProblemDetailsFilter with createValidationPipe (over HTTP)', () => {
  let app: INestApplication;
  let loggedErrors: string[];
  const unregister: Array<() => void> = [];
  const localMappers = new ProblemMapperRegistry();

  beforeAll(async () => {
    unregister.push(
      ProblemDetailsFilter.register(WidgetNotFoundError, (error) => ({
        status: 404,
        type: 'widget-not-found',
        title: 'Widget not found',
        detail: `There is no widget ${error.widgetId}.`,
      })),
      ProblemDetailsFilter.register(ConcurrencyError, (error) => ({
        status: 412,
        type: 'https://lmp.example/problems/stale-version',
        title: 'Stale version',
        detail: 'The resource changed since you read it.',
        extensions: { currentVersion: error.currentVersion, status: 999, type: 'ignored' },
        headers: { ETag: `"${error.currentVersion}"` },
      })),
      ProblemDetailsFilter.register(BrokenMapperError, () => {
        throw new Error('mapper bug');
      }),
      ProblemDetailsFilter.register(BadStatusError, () => ({ status: 200 })),
    );
    localMappers.register(LocallyMappedError, () => ({ status: 409, detail: 'Local mapping.' }));

    const moduleRef = await Test.createTestingModule({
      controllers: [WidgetsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost), localMappers));
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });

  beforeEach(() => {
    loggedErrors = [];
    jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((message: unknown) => void loggedErrors.push(String(message)));
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    unregister.forEach((remove) => remove());
    await app.close();
  });

  const server = () => request(app.getHttpServer());

  function expectProblemJson(response: request.Response): void {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
  }

  describe('HttpExceptions', () => {
    it('given an unknown route, when requested, then 404 about:blank problem+json', async () => {
      const response = await server().get('/nowhere?token=abc');

      expect(response.status).toBe(404);
      expectProblemJson(response);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Cannot GET /nowhere?token=abc',
        instance: '/nowhere',
      });
    });

    it('given a thrown NotFoundException, when requested, then its message is the detail', async () => {
      const response = await server().get('/widgets/nest');

      expect(response.status).toBe(404);
      expectProblemJson(response);
      expect(response.body).toMatchObject({
        type: 'about:blank',
        title: 'Not Found',
        detail: 'Widget nest not found.',
        instance: '/widgets/nest',
      });
    });

    it('given a ForbiddenException, when requested, then 403 with its message', async () => {
      const response = await server().get('/widgets/forbidden');

      expect(response.status).toBe(403);
      expectProblemJson(response);
      expect(response.body).toMatchObject({
        title: 'Forbidden',
        status: 403,
        detail: 'Only owners may do this.',
      });
    });

    it('given an HttpException with a custom body, when requested, then its status and message', async () => {
      const response = await server().get('/widgets/custom-body');

      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({ title: 'Too Many Requests', detail: 'Slow down.' });
    });

    it('given a 5xx HttpException, when requested, then it is rendered and logged', async () => {
      const response = await server().get('/widgets/unavailable');

      expect(response.status).toBe(503);
      expect(response.body.detail).toBe('The event store is unavailable.');
      expect(loggedErrors.join('\n')).toContain('GET /widgets/unavailable');
    });
  });

  describe('registered mappers', () => {
    it('given a registered domain error, when thrown, then its mapping is rendered', async () => {
      const response = await server().get('/widgets/w-42');

      expect(response.status).toBe(404);
      expectProblemJson(response);
      expect(response.body).toEqual({
        type: 'https://lmp.example/problems/widget-not-found',
        title: 'Widget not found',
        status: 404,
        detail: 'There is no widget w-42.',
        instance: '/widgets/w-42',
      });
      expect(JSON.stringify(response.body)).not.toContain('shard');
    });

    it('given a subclass of a registered error, when thrown, then the base mapping applies', async () => {
      const response = await server().get('/widgets/deleted');

      expect(response.status).toBe(404);
      expect(response.body.detail).toBe('There is no widget deleted.');
    });

    it('given a mapping with extensions and headers, when thrown, then both are sent and standard members win', async () => {
      const response = await server().get('/widgets/stale/7');

      expect(response.status).toBe(412);
      expectProblemJson(response);
      expect(response.headers.etag).toBe('"7"');
      expect(response.body).toEqual({
        type: 'https://lmp.example/problems/stale-version',
        title: 'Stale version',
        status: 412,
        detail: 'The resource changed since you read it.',
        currentVersion: 7,
        instance: '/widgets/stale/7',
      });
    });

    it('given a mapping of only a status, when thrown, then about:blank and the status phrase', async () => {
      const response = await server().get('/widgets/locally-mapped');

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        type: 'about:blank',
        title: 'Conflict',
        detail: 'Local mapping.',
      });
    });

    it('given a mapper that throws, when its error is thrown, then a generic 500 is logged', async () => {
      const response = await server().get('/widgets/broken-mapper');

      expect(response.status).toBe(500);
      expect(JSON.stringify(response.body)).not.toContain('broken mapper');
      expect(loggedErrors.join('\n')).toContain('mapper bug');
    });

    it('given a mapper that gives a non-error status, when its error is thrown, then a generic 500', async () => {
      const response = await server().get('/widgets/bad-status');

      expect(response.status).toBe(500);
      expect(JSON.stringify(response.body)).not.toContain('internal detail');
    });

    it('given a mapping is unregistered, when its error is thrown, then it is an unexpected 500', () => {
      const registry = new ProblemMapperRegistry();
      const remove = registry.register(ConcurrencyError, () => ({ status: 412 }));
      expect(registry.find(new ConcurrencyError(1))).toBeDefined();

      remove();

      expect(registry.find(new ConcurrencyError(1))).toBeUndefined();
    });
  });

  describe('validation', () => {
    const valid = {
      name: 'CRM Sync',
      size: 3,
      endpoint: { url: 'https://example.com/hook', headers: [{ name: 'x-a' }] },
      tags: ['crm'],
    };

    it('given a valid body, when posted, then the handler gets the DTO instance', async () => {
      const response = await server().post('/widgets').send(valid);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ created: true, body: valid });
    });

    it('given invalid nested fields and an unknown property, when posted, then 400 lists every field', async () => {
      const response = await server()
        .post('/widgets')
        .send({
          name: 42,
          size: 0,
          endpoint: { url: 'not a url', headers: [{ name: 'ok' }, { name: 7, extra: true }] },
          tags: [],
          isAdmin: true,
        });

      expect(response.status).toBe(400);
      expectProblemJson(response);
      expect(response.body).toMatchObject({
        type: 'https://lmp.example/problems/validation-error',
        title: 'Invalid request',
        status: 400,
        instance: '/widgets',
      });
      const fields = (response.body.errors as Array<{ field: string; message: string }>).map(
        (error) => error.field,
      );
      expect(new Set(fields)).toEqual(
        new Set([
          'name',
          'size',
          'endpoint.url',
          'endpoint.headers.1.name',
          'endpoint.headers.1.extra',
          'tags',
          'isAdmin',
        ]),
      );
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'isAdmin', message: 'property isAdmin should not exist' },
          { field: 'name', message: 'name must be a string' },
          { field: 'size', message: 'size must not be less than 1' },
          { field: 'endpoint.headers.1.name', message: 'name must be a string' },
          { field: 'endpoint.headers.1.extra', message: 'property extra should not exist' },
        ]),
      );
    });

    it('given a field failing several constraints, when posted, then every message is listed', async () => {
      const response = await server()
        .post('/widgets')
        .send({ ...valid, size: 'big' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'size', message: 'size must not be less than 1' },
        { field: 'size', message: 'size must be an integer number' },
      ]);
    });

    it('given a validation failure, when rendered, then the submitted values are not echoed', async () => {
      const response = await server()
        .post('/widgets')
        .send({ ...valid, name: { secret: 'whsec_do-not-echo' } });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).not.toContain('whsec_do-not-echo');
    });

    it('given a handler throws RequestValidationError, when requested, then its fields are listed', async () => {
      const response = await server().get('/widgets/validation');

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'events', message: 'unknown event type x.y' },
      ]);
    });

    it('given malformed JSON, when posted, then 400 problem+json', async () => {
      const response = await server()
        .post('/widgets')
        .set('Content-Type', 'application/json')
        .send('{"name": ');

      expect(response.status).toBe(400);
      expectProblemJson(response);
      expect(response.body).toMatchObject({ type: 'about:blank', status: 400 });
    });
  });

  describe('unexpected errors', () => {
    it('given an Error from a handler, when requested, then 500 without its message, logged server-side', async () => {
      const response = await server().get('/widgets/boom');

      expect(response.status).toBe(500);
      expectProblemJson(response);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred. It has been logged.',
        instance: '/widgets/boom',
      });
      expect(response.text).not.toContain('hunter2');
      expect(response.text).not.toContain('at ');
      expect(loggedErrors.join('\n')).toContain('hunter2');
    });

    it('given a non-Error thrown, when requested, then 500', async () => {
      const response = await server().get('/widgets/thrown-string');

      expect(response.status).toBe(500);
      expect(response.text).not.toContain('a string, not an Error');
    });
  });

  it('given a non-HTTP context (Kafka), when an error is caught, then it is rethrown to the transport', async () => {
    const filter = new ProblemDetailsFilter(app.get(HttpAdapterHost));
    const error = new Error('handler failed');
    const host = { getType: () => 'rpc' } as unknown as ArgumentsHost;

    const result = filter.catch(error, host) as Observable<never>;

    await expect(lastValueFrom(result)).rejects.toBe(error);
  });
});

describe('ProblemDetailsFilter as APP_FILTER', () => {
  it('given it is provided through dependency injection, when a route is missing, then problem+json', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const response = await request(app.getHttpServer()).get('/missing');

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: 'about:blank',
        status: 404,
        instance: '/missing',
      });
    } finally {
      await app.close();
    }
  });
});
