import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fileTypeFromBuffer } from 'file-type';
import { FilePurpose, StoredFile } from './file.entity.js';

/** What each purpose accepts: kinds by their magic bytes, and the size limit. */
export const FILE_RULES: Readonly<Record<FilePurpose, { types: readonly string[]; maxBytes: number; label: string }>> = {
  [FilePurpose.LOGO]: { types: ['image/png', 'image/jpeg', 'image/webp'], maxBytes: 1024 * 1024, label: 'PNG, JPEG or WebP image' },
  [FilePurpose.ATTACHMENT]: { types: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'], maxBytes: 4 * 1024 * 1024 - 1024, label: 'PNG, JPEG, WebP or GIF image, or PDF' },
};

/** The path a stored file is served at (GET), relative to the API's public URL. */
export const FILES_PATH = '/files/';
export const fileUrl = (publicUrl: string, id: string) => `${publicUrl}${FILES_PATH}${id}`;

export class FileRejected extends Error {
  constructor(
    readonly status: 413 | 415 | 400,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where file bytes live (architecture.md: file storage is an extension point). The default
 * keeps them in PostgreSQL; another store (an object store) implements the same two calls.
 */
export interface FileStorage {
  put(em: EntityManager, file: NewFile): Promise<StoredFile>;
  /** The file with its bytes, or null. */
  get(em: EntityManager, id: string): Promise<StoredFile | null>;
}

export interface NewFile {
  purpose: FilePurpose;
  bytes: Buffer;
  fileName?: string | null;
  uploadedById: string | null;
  sellerId: string | null;
}

/**
 * Checks bytes against a purpose's rules: the kind comes from the magic bytes (file-type),
 * whatever the client named or declared. Throws FileRejected (413 too large, 415 wrong kind).
 */
export async function checkFile(purpose: FilePurpose, bytes: Buffer): Promise<{ contentType: string }> {
  const rules = FILE_RULES[purpose];
  if (bytes.length === 0) throw new FileRejected(400, 'The file is empty.');
  if (bytes.length > rules.maxBytes) throw new FileRejected(413, `The file has ${bytes.length} bytes; the limit for ${purpose.toLowerCase()} files is ${rules.maxBytes}.`);
  const kind = await fileTypeFromBuffer(bytes);
  if (!kind || !rules.types.includes(kind.mime)) {
    throw new FileRejected(415, `The file's contents are ${kind ? kind.mime : 'of no known kind'}; a ${purpose.toLowerCase()} must be a ${rules.label}.`);
  }
  return { contentType: kind.mime };
}

/** The default storage: rows of stored_file. */
export const postgresFileStorage: FileStorage = {
  async put(em, file) {
    const { contentType } = await checkFile(file.purpose, file.bytes);
    const row = em.create(StoredFile, {
      id: randomUUID(),
      purpose: file.purpose,
      contentType,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      fileName: file.fileName ?? null,
      uploadedById: file.uploadedById,
      sellerId: file.sellerId,
      bytes: file.bytes,
    });
    em.persist(row);
    await em.flush();
    return row;
  },
  async get(em, id) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return em.findOne(StoredFile, { id }, { populate: ['bytes'] });
  },
};

/** A file's metadata (no bytes), e.g. to check an upload before attaching it. */
export function fileInfo(em: EntityManager, id: string): Promise<StoredFile | null> {
  return em.findOne(StoredFile, { id });
}
