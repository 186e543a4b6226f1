/**
 * Imported first by each page's entry, for its effect: zod 4 probes once whether `new Function` works, to compile
 * faster parsers, and each object schema decides it when it is built (at module load). Under our
 * Content-Security-Policy (no 'unsafe-eval') the probe was refused and the browser logged a CSP violation on every
 * page load, though zod caught it. Jitless mode skips the probe (and the compiled parsers, which these pages do not
 * need); it must be set before any module that builds a schema is evaluated.
 */
import { z } from 'zod';

z.config({ jitless: true });
