import { Writable } from 'node:stream';
import { createLogger } from './logging';

/** A logger at `level` writing into the array it answers with. */
function capture(level: Parameters<typeof createLogger>[0] = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger(level, destination), lines };
}

describe('the logger', () => {
  it('writes JSON lines with the level by name and an ISO time', () => {
    const { logger, lines } = capture();

    logger.info({ correlationId: 'c-1' }, 'request');

    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        pid: process.pid,
        hostname: expect.any(String),
        correlationId: 'c-1',
        msg: 'request',
      },
    ]);
  });

  it('never writes a credential: the Authorization header or any key', () => {
    const { logger, lines } = capture();

    logger.info({
      req: { headers: { authorization: 'Bearer esl_secret-1' } },
      headers: { authorization: 'Bearer esl_secret-2' },
      key: 'esl_secret-3',
      issued: { keyId: 'k-1', key: 'esl_secret-4' },
    });

    expect(JSON.stringify(lines)).not.toContain('esl_secret');
    expect(lines[0]).toMatchObject({ issued: { keyId: 'k-1', key: '[redacted]' } });
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capture('warn');

    logger.info('started');
    logger.warn('refused');

    expect(lines.map((line) => line.msg)).toEqual(['refused']);
  });
});
