/** Self-signed certificates for the TLS tests, made by openssl at test time. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  /** The certificate's PEM file, as NODE_EXTRA_CA_CERTS takes it. */
  readonly certFile: string;
}

/** A one-day certificate for 127.0.0.1 and localhost, written as `<name>.key` / `<name>.pem` into `dir`. */
export function selfSignedCertificate(dir: string, name = 'sandbox'): TestCertificate {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.pem`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
