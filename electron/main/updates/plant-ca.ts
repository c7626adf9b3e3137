import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The seat's trust rule for the sync server, for Chromium's network stack. Sync and sign-in run in
 * Node and are given the plant CA directly (`CLOSELOOP_CA` → `ca`, electron/main/sync); electron-
 * updater downloads through Electron's `net` module, which trusts only the OS store. Rather than a
 * second rule, the updater's session gets a certificate check that applies the same one: for the
 * configured server's host only, a certificate is accepted when the OS already trusts it, or when
 * its chain leads to the plant CA from `CLOSELOOP_CA`, every link signed by the next, each within
 * its dates, intermediates marked as CAs, and the leaf naming the host. Every other host keeps
 * Chromium's own verdict. Pure except for the clock, which is an argument.
 */

/** What Electron's `setCertificateVerifyProc` hands over, reduced to what the rule reads. */
export interface CertificateRequest {
  hostname: string;
  verificationResult: string;
  certificate: CertificateLike;
}
export interface CertificateLike {
  /** PEM. */
  data: string;
  issuerCert?: CertificateLike | null;
}

/** Electron's answers: accept, refuse, or keep Chromium's verdict. */
export const ACCEPT = 0;
export const REFUSE = -2;
export const CHROMIUM = -3;

const withinDates = (c: X509Certificate, now: Date) => Date.parse(c.validFrom) <= now.getTime() && now.getTime() <= Date.parse(c.validTo);
/** As Chromium matches names: subjectAltName only (never the subject's CN), whole-label wildcards only. */
const names = (c: X509Certificate, host: string) => (isIP(host) ? c.checkIP(host) !== undefined : c.checkHost(host, { subject: 'never', partialWildcards: false }) !== undefined);
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** A leaf that lists its extended key usages must list serverAuth (one without the extension may serve). */
const mayServe = (c: X509Certificate) => c.keyUsage === undefined || c.keyUsage.includes(SERVER_AUTH) || c.keyUsage.includes('2.5.29.37.0');

/** Whether the chain (leaf first, as Electron gives it) leads to `ca` and the leaf is `host`'s. */
export function chainsToPlantCa(chain: CertificateLike, ca: string, host: string, now: Date): boolean {
  try {
    const root = new X509Certificate(ca);
    const certs: X509Certificate[] = [];
    for (let c: CertificateLike | null | undefined = chain; c && certs.length < 8; c = c.issuerCert) certs.push(new X509Certificate(c.data));
    const leaf = certs[0];
    if (!leaf || !names(leaf, host) || !mayServe(leaf) || !withinDates(leaf, now) || !withinDates(root, now)) return false;
    for (let i = 0; i < certs.length; i++) {
      const cert = certs[i]!;
      if (i > 0 && (!cert.ca || !withinDates(cert, now))) return false;
      if (cert.checkIssued(root) && cert.verify(root.publicKey)) return true;
      const issuer = certs[i + 1];
      if (!issuer || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return false;
    }
    return false;
  } catch {
    return false;
  }
}

/** The verify procedure for the updater's session. */
export function plantCaVerifier(opts: { host: string; ca: string; now: () => Date }): (req: CertificateRequest) => number {
  const host = opts.host.replace(/^\[|\]$/g, '').toLowerCase();
  return (req) => {
    if (req.hostname.replace(/^\[|\]$/g, '').toLowerCase() !== host) return CHROMIUM;
    if (req.verificationResult === 'net::OK') return ACCEPT;
    return chainsToPlantCa(req.certificate, opts.ca, host, opts.now()) ? ACCEPT : REFUSE;
  };
}
