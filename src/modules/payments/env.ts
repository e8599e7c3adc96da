import { z } from 'zod';

/** Environment values: blank is unset, surrounding spaces never matter. Shared by the providers' variables and payments.config.ts. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An optional URL variable with its default. */
export const url = (fallback: string) =>
  optionalString.pipe(
    z
      .string()
      .url()
      .optional()
      .transform((v) => v ?? fallback),
  );
