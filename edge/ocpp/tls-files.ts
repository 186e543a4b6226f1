/** Security profile 2's certificate and key, read from the PEM files the configuration names. */
import { AppError } from '../../shared/errors';
import { MAX_PEM_MIB, readBoundedFile, unreadableReason } from '../config/read-bounded-file';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/** The certificate and key; a file that cannot be read is a configuration error naming its field. */
export function readTlsFiles(files: TlsFiles): { readonly cert: Buffer; readonly key: Buffer } {
  return { cert: readPem(files.certPath, 'ocpp.tls.certPath'), key: readPem(files.keyPath, 'ocpp.tls.keyPath') };
}

function readPem(file: string, field: string): Buffer {
  try {
    return readBoundedFile(file, MAX_PEM_MIB);
  } catch (error) {
    const message = `cannot read ${file}: ${unreadableReason(error)}`;
    throw new AppError('config.invalid', `${field}: ${message}`, [{ path: field, message }], { cause: error });
  }
}
