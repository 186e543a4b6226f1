/** Security profile 2's certificate and key, read from the PEM files the configuration names. */
import { MAX_PEM_MIB, readBoundedFile, readPemFile } from '../config/read-bounded-file';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

const bounded = (file: string) => readBoundedFile(file, MAX_PEM_MIB);

/** The certificate and key; a file that cannot be read is a configuration error naming its field. */
export function readTlsFiles(files: TlsFiles): { readonly cert: Buffer; readonly key: Buffer } {
  return {
    cert: readPemFile(bounded, files.certPath, 'ocpp.tls.certPath'),
    key: readPemFile(bounded, files.keyPath, 'ocpp.tls.keyPath'),
  };
}
