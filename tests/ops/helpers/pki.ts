import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A plant PKI made in the test with openssl (the commands docs/operations.md gives): a CA, and
 * server certificates it signs for 127.0.0.1/localhost. EC P-256 keys: fast to make.
 */
export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  /** Issues a server certificate; returns the paths of its chain and key. */
  issue(name: string, altNames?: string): { cert: string; key: string };
  pem(path: string): string;
}

const ssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

export function makePki(label: string): Pki {
  const dir = mkdtempSync(join(tmpdir(), `closeloop-pki-${label}-`));
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  ssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKey);
  ssl(dir, 'req', '-x509', '-new', '-key', caKey, '-sha256', '-days', '30', '-subj', `/O=Plant ${label}/CN=Plant ${label} CA`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', caCert);
  let serial = 1;
  return {
    dir,
    caCert,
    caKey,
    issue(name, altNames = 'IP:127.0.0.1,DNS:localhost') {
      const key = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      const cert = join(dir, `${name}.crt`);
      const ext = join(dir, `${name}.ext`);
      writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames}\n`);
      ssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key);
      ssl(dir, 'req', '-new', '-key', key, '-subj', `/O=Plant ${label}/CN=${name}`, '-out', csr);
      ssl(dir, 'x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(1000 + serial++), '-days', '7', '-sha256', '-extfile', ext, '-out', cert);
      return { cert, key };
    },
    pem: (path) => readFileSync(path, 'utf8'),
  };
}
