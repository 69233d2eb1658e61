import { captureLogger } from '../support/log-capture';

it('writes one JSON object per line with a level name, an ISO time and the message', () => {
  const { logger, lines } = captureLogger('info');
  logger.info('first');
  logger.debug('below the level');
  logger.warn({ detail: 42 }, 'second');
  expect(lines()).toEqual([
    expect.objectContaining({ level: 'info', msg: 'first', service: 'cmdb' }),
    expect.objectContaining({ level: 'warn', msg: 'second', detail: 42 }),
  ]);
  for (const line of lines()) expect(new Date(line.time).toISOString()).toBe(line.time);
});

it('redacts credentials in headers and secret-named fields', () => {
  const { logger, lines } = captureLogger();
  logger.info({
    req: { headers: { authorization: 'Bearer cmdb_abc', cookie: 'sid=1', 'x-api-key': 'k', accept: 'application/json' } },
    token: 'cmdb_top', source: { name: 'nmap', password: 'hunter2', apiKey: 'AKIA' },
  }, 'request');
  const [line] = lines();
  expect(line.req.headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', 'x-api-key': '[Redacted]', accept: 'application/json' });
  expect(line.token).toBe('[Redacted]');
  expect(line.source).toEqual({ name: 'nmap', password: '[Redacted]', apiKey: '[Redacted]' });
  expect(JSON.stringify(line)).not.toMatch(/cmdb_abc|cmdb_top|hunter2|AKIA|sid=1/);
});
