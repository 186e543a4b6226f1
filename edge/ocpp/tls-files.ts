/** PEM files the configuration names (security profile 2's certificate and key, the upstream CSMS's CA and client certificate), read with a size bound. */
import { MAX_PEM_MIB, readBoundedFile, readPemFile } from '../config/read-bounded-file';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

const bounded = (file: string) => readBoundedFile(file, MAX_PEM_MIB);

/** The certificate and key; a file that cannot be read is a configuration error naming its field. */
export function readTlsFiles(files: TlsFiles): { readonly cert: Buffer; readonly key: Buffer } {
  return { cert: readPem(files.certPath, 'ocpp.tls.certPath'), key: readPem(files.keyPath, 'ocpp.tls.keyPath') };
}

/** One PEM file; one that cannot be read (or is larger than a PEM file can be) is a configuration error naming `field`. */
export function readPem(file: string, field: string): Buffer {
  return readPemFile(bounded, file, field);
}
