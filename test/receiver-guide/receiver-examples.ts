import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { eventually } from '../support/delivery-rig';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const EXAMPLES = resolve(ROOT, 'docs/examples');
/** Built once and kept, like the local servers: a second run starts the examples at once. */
const CACHE = resolve(ROOT, '.local/receiver-examples');

/** What each example prints, one JSON object a line. */
export type ExampleLine = {
  listening?: number;
  accepted?: string;
  type?: string;
  userAgent?: string;
  duplicate?: string;
  rejected?: string;
};

export type ExampleLanguage = 'node' | 'python' | 'go';

/**
 * How a receiver developer would run each example, after installing what its guide section says:
 * Node with nothing but node:crypto; Python in a virtualenv with `pip install standardwebhooks`
 * (from PyPI); Go built with `go build` (the Standard Webhooks module from the Go proxy).
 */
async function commandFor(language: ExampleLanguage): Promise<{ file: string; args: string[] }> {
  mkdirSync(CACHE, { recursive: true });
  switch (language) {
    case 'node':
      return { file: process.execPath, args: [resolve(EXAMPLES, 'receiver-node/server.mjs')] };
    case 'python': {
      const venv = resolve(CACHE, 'python-venv');
      const python = resolve(venv, 'bin/python');
      if (!existsSync(resolve(venv, 'installed'))) {
        await run('python3', ['-m', 'venv', venv]);
        await run(python, [
          '-m',
          'pip',
          'install',
          '-q',
          '--disable-pip-version-check',
          'standardwebhooks==1.1.0',
        ]);
        await run('touch', [resolve(venv, 'installed')]);
      }
      return { file: python, args: [resolve(EXAMPLES, 'receiver-python/server.py')] };
    }
    case 'go': {
      const binary = resolve(CACHE, 'receiver-go');
      // Always rebuilt (seconds once the module is cached), so an edited example is what runs.
      await run('go', ['build', '-o', binary, '.'], { cwd: resolve(EXAMPLES, 'receiver-go') });
      return { file: binary, args: [] };
    }
    default: {
      const unknown: never = language;
      throw new Error(`no example in ${String(unknown)}`);
    }
  }
}

export type RunningExample = Awaited<ReturnType<typeof startExample>>;

/** Starts the guide's example in `language` as its own process on a free port. */
export async function startExample(language: ExampleLanguage, secret: string) {
  const { file, args } = await commandFor(language);
  const child: ChildProcess = spawn(file, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, WEBHOOK_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: ExampleLine[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) =>
    lines.push(JSON.parse(line) as ExampleLine),
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let port = 0;
  await eventually(() => {
    if (child.exitCode !== null)
      throw new Error(`the ${language} example exited (${child.exitCode})`);
    port = lines.find((line) => line.listening)?.listening ?? 0;
    return port > 0;
  }, `the ${language} example to listen`);
  return {
    language,
    url: `http://127.0.0.1:${port}/webhooks`,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
