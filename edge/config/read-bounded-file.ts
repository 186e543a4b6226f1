/**
 * Reads a file the configuration names with a bound: at most `maxMiB` are read, and a longer file (or a device that
 * never ends, whose size `stat` gives as 0) is refused as soon as one byte more arrives, instead of being read until
 * memory runs out.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { AppError } from '../../shared/errors';

/** A certificate, key or CA bundle: the largest common CA bundle is a few hundred kB. */
export const MAX_PEM_MIB = 1;

/** The file's bytes; `config.invalid` ("larger than N MiB") past `maxMiB`; the file system's error otherwise. */
export function readBoundedFile(file: string, maxMiB: number): Buffer {
  const buffer = Buffer.alloc(maxMiB * 1024 * 1024 + 1);
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) return buffer.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
  throw new AppError('config.invalid', `larger than ${maxMiB} MiB`);
}

/** Why `error` kept a file from being read: the bound, or the file system's code. */
export function unreadableReason(error: unknown): string {
  if (AppError.match(error, 'config.invalid')) return error.message;
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** A PEM file the configuration names at `field`, through `read`; a failure is `config.invalid` naming the field and why. */
export function readPemFile(read: (file: string) => Buffer, file: string, field: string): Buffer {
  try {
    return read(file);
  } catch (error) {
    const message = `cannot read ${file}: ${unreadableReason(error)}`;
    throw new AppError('config.invalid', `${field}: ${message}`, [{ path: field, message }], { cause: error });
  }
}
