import { describe, expect, it } from 'vitest';
import { ConnectorsFileError, parseConnectorsFile } from './config';

const GOOD = `
version: 1
recipients:
  lin.chief: { phone: "13800000001", email: lin@plant.example }
channels: { sms: sms-gw }
connectors:
  sms-gw:
    type: sms_http
    url: "http://127.0.0.1:9/send?to={{recipient.phone}}"
    headers: { Authorization: "Bearer \${SMS_TOKEN}" }
    timeout: 5s
  erp:
    type: webhook
    url: http://127.0.0.1:9/erp
    secret: \${ERP_SECRET}
    payload: { records: "{{payload.records}}" }
    max_response: 16KB
`;

const env = { SMS_TOKEN: 'tok-123', ERP_SECRET: 'erp-secret-0123456789' };

function problem(text: string, e: NodeJS.ProcessEnv = env): string {
  try {
    parseConnectorsFile(text, 'connectors.yaml', e);
  } catch (x) {
    expect(x).toBeInstanceOf(ConnectorsFileError);
    return (x as Error).message;
  }
  throw new Error('expected an error');
}

describe('connectors file', () => {
  it('reads connectors, durations, sizes and secrets from the environment', () => {
    const c = parseConnectorsFile(GOOD, 'connectors.yaml', env);
    const sms = c.connectors['sms-gw']!;
    const erp = c.connectors.erp!;
    expect(sms.type === 'sms_http' && sms.headers?.Authorization).toBe('Bearer tok-123');
    expect(sms.timeout).toBe(5_000);
    expect(erp.type === 'webhook' && [erp.secret, erp.max_response]).toEqual(['erp-secret-0123456789', 16 * 1024]);
  });

  it('names the file and the path of every problem', () => {
    expect(problem(GOOD.replace('timeout: 5s', 'timeout: 5 seconds'))).toMatch(/^connectors.yaml: connectors.sms-gw.timeout: expected a duration/);
    expect(problem(GOOD.replace('type: webhook', 'type: ftp'))).toMatch(/connectors.yaml: connectors.erp.type/);
    expect(problem(GOOD.replace('{{payload.records}}', '{{payload.records'))).toBe('connectors.yaml: connectors.erp.payload.records: an unclosed "{{"');
    expect(problem(GOOD.replace('channels: { sms: sms-gw }', 'channels: { sms: nope }'))).toBe('connectors.yaml: channels.sms: no connector "nope" in connectors');
    expect(problem(GOOD + 'extra: 1\n')).toMatch(/connectors.yaml: \(top level\): .*extra/);
    expect(problem('version: 1\nconnectors: [')).toMatch(/^connectors.yaml: not valid YAML/);
  });

  it('refuses a secret whose environment variable is not set, and a short HMAC secret', () => {
    expect(problem(GOOD, { SMS_TOKEN: 'x' })).toBe('connectors.yaml: connectors.erp.secret: the environment variable ERP_SECRET is not set');
    expect(problem(GOOD, { ...env, ERP_SECRET: 'short' })).toMatch(/connectors.erp.secret: expected an HMAC secret of at least 16/);
  });
});
