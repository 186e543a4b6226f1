/** Security profile 2's certificate and key, read from the PEM files the configuration names. */
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/** The certificate and key; a file that cannot be read is a configuration error naming its field. */
export function readTlsFiles(files: TlsFiles): { readonly cert: Buffer; readonly key: Buffer } {
  return { cert: readPem(files.certPath, 'ocpp.tls.certPath'), key: readPem(files.keyPath, 'ocpp.tls.keyPath') };
}

/** One PEM file; one that cannot be read is a configuration error naming `field`. */
export function readPem(file: string, field: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError(
      'config.invalid',
      `cannot read ${field} ${file}`,
      [{ path: field, message: `cannot read ${file}` }],
      { cause: error },
    );
  }
}
