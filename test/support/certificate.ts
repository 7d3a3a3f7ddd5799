// A throwaway self-signed certificate for 127.0.0.1, made by openssl for this run: it is its own CA, so a
// client trusts the server only when given it (NODE_EXTRA_CA_CERTS, PREFECT_API_SSL_CERT_FILE). No key is
// kept in the repository.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.ts';

export interface TestCertificate {
  key: string;
  cert: string;
  /** The certificate as a PEM file. */
  certPath: string;
}

export function makeCertificate(name = 'emit-prefect-event test CA'): TestCertificate {
  const dir = tempDir('emit-prefect-event-tls-');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}
