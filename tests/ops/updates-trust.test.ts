import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCEPT, CHROMIUM, REFUSE, chainsToPlantCa, plantCaVerifier, type CertificateLike } from '../../electron/main/updates/plant-ca';
import { makePki, type Pki } from './helpers/pki';

/**
 * The updater downloads through Chromium, which knows only the OS trust store; the seat applies the
 * sync client's rule (the chain leads to CLOSELOOP_CA, the leaf names the server) to the
 * configured server's host. Certificates made with openssl, as in tls.test.ts.
 */
const NOT_TRUSTED = 'net::ERR_CERT_AUTHORITY_INVALID';

describe('the updater’s trust in the plant CA', () => {
  let plant: Pki;
  let rogue: Pki;
  let ca: string;
  let leaf: CertificateLike;
  const now = () => new Date();
  const ask = (hostname: string, certificate: CertificateLike, verificationResult = NOT_TRUSTED) => plantCaVerifier({ host: '127.0.0.1', ca, now })({ hostname, certificate, verificationResult });

  beforeAll(() => {
    plant = makePki('upd');
    rogue = makePki('rogue-upd');
    ca = plant.pem(plant.caCert);
    leaf = { data: plant.pem(plant.issue('sync-upd').cert), issuerCert: { data: ca } };
  });

  it('accepts the sync server’s certificate issued by the plant CA, with or without the CA in the chain', () => {
    expect(ask('127.0.0.1', leaf)).toBe(ACCEPT);
    expect(ask('127.0.0.1', { data: leaf.data })).toBe(ACCEPT);
  });

  it('refuses a certificate from another CA, even one with the same name and the CA in the chain', () => {
    const other = rogue.pem(rogue.issue('sync-upd').cert);
    expect(ask('127.0.0.1', { data: other, issuerCert: { data: rogue.pem(rogue.caCert) } })).toBe(REFUSE);
    expect(ask('127.0.0.1', { data: other, issuerCert: { data: ca } })).toBe(REFUSE);
  });

  it('refuses a plant certificate for another name, or one past its dates', () => {
    const elsewhere = { data: plant.pem(plant.issue('printer', 'DNS:printer.plant.local').cert), issuerCert: { data: ca } };
    expect(ask('127.0.0.1', elsewhere)).toBe(REFUSE);
    expect(chainsToPlantCa(leaf, ca, '127.0.0.1', new Date(Date.now() + 30 * 86_400_000))).toBe(false);
    expect(chainsToPlantCa(leaf, ca, 'localhost', now())).toBe(true);
  });

  it('follows an intermediate CA to the plant CA, and refuses one that is not marked as a CA', () => {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: plant.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const chain = (name: string, isCa: boolean) => {
      writeFileSync(join(plant.dir, `${name}.ext`), `basicConstraints=critical,CA:${isCa ? 'TRUE' : 'FALSE'}\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n`);
      ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
      ssl('req', '-new', '-key', `${name}.key`, '-subj', `/O=Plant upd/CN=${name}`, '-out', `${name}.csr`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', plant.caCert, '-CAkey', plant.caKey, '-set_serial', String(Date.now() % 1e9), '-days', '7', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
      writeFileSync(join(plant.dir, `${name}-leaf.ext`), 'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n');
      ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}-leaf.key`);
      ssl('req', '-new', '-key', `${name}-leaf.key`, '-subj', `/CN=${name}-leaf`, '-out', `${name}-leaf.csr`);
      ssl('x509', '-req', '-in', `${name}-leaf.csr`, '-CA', `${name}.crt`, '-CAkey', `${name}.key`, '-set_serial', String((Date.now() + 1) % 1e9), '-days', '7', '-sha256', '-extfile', `${name}-leaf.ext`, '-out', `${name}-leaf.crt`);
      return { data: plant.pem(join(plant.dir, `${name}-leaf.crt`)), issuerCert: { data: plant.pem(join(plant.dir, `${name}.crt`)), issuerCert: { data: ca } } };
    };
    expect(ask('127.0.0.1', chain('issuing-ca', true))).toBe(ACCEPT);
    expect(ask('127.0.0.1', chain('not-a-ca', false))).toBe(REFUSE);
  });

  it('matches names as Chromium does (never the subject’s CN) and refuses a leaf not issued for serving', () => {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: plant.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const leafWith = (name: string, cn: string, ext: string) => {
      writeFileSync(join(plant.dir, `${name}.ext`), `basicConstraints=CA:FALSE\n${ext}`);
      ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
      ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', plant.caCert, '-CAkey', plant.caKey, '-set_serial', String((Date.now() + 7) % 1e9), '-days', '7', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
      return { data: plant.pem(join(plant.dir, `${name}.crt`)), issuerCert: { data: ca } };
    };
    const byCn = leafWith('cn-only', 'sync.plant.local', 'keyUsage=critical,digitalSignature\n');
    expect(chainsToPlantCa(byCn, ca, 'sync.plant.local', now())).toBe(false);
    const partial = leafWith('partial-wildcard', 'x', 'subjectAltName=DNS:sync*.plant.local\n');
    expect(chainsToPlantCa(partial, ca, 'sync1.plant.local', now())).toBe(false);
    const clientOnly = leafWith('client-only', 'x', 'extendedKeyUsage=clientAuth\nsubjectAltName=DNS:sync.plant.local\n');
    expect(chainsToPlantCa(clientOnly, ca, 'sync.plant.local', now())).toBe(false);
    const serving = leafWith('serving', 'x', 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:sync.plant.local\n');
    expect(chainsToPlantCa(serving, ca, 'sync.plant.local', now())).toBe(true);
  });

  it('keeps Chromium’s verdict for other hosts, and accepts what the OS store already trusts', () => {
    expect(ask('example.com', leaf)).toBe(CHROMIUM);
    expect(ask('127.0.0.1', { data: rogue.pem(rogue.issue('x').cert) }, 'net::OK')).toBe(ACCEPT);
    expect(ask('127.0.0.1', { data: 'not a certificate' })).toBe(REFUSE);
  });
});
