import { BlobType, Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/** What a binary file was uploaded for; it decides the accepted kinds, the size limit and who reads it back. */
export enum FilePurpose {
  /** A seller's logo: PNG, JPEG or WebP up to 1 MB, served publicly. */
  LOGO = 'LOGO',
  /** A ticket message's attachment: an image or a PDF, read only by who may read the ticket. */
  ATTACHMENT = 'ATTACHMENT',
}

/**
 * A binary file kept in PostgreSQL (design.md "Files"), so every instance serves it. Files
 * never change: a new logo is a new file, which is why its URL can be cached for good.
 */
@Entity({ tableName: 'stored_file' })
@Index({ name: 'stored_file_uploader', properties: ['uploadedById', 'createdAt'] })
export class StoredFile {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Enum({ items: () => FilePurpose })
  purpose!: FilePurpose;

  /** The MIME type found in the file's own bytes (never the one the client claimed). */
  @Property({ type: 'string', length: 100 })
  contentType!: string;

  @Property({ type: 'integer' })
  size!: number;

  /** Hex SHA-256 of the bytes (integrity and an ETag). */
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  fileName?: string | null;

  /** The user who uploaded it; only they may attach it to something. */
  @Property({ type: 'uuid', nullable: true })
  uploadedById?: string | null;

  /** The seller the uploader works for (null for customers). */
  @Property({ type: 'uuid', nullable: true })
  sellerId?: string | null;

  @Property({ type: new BlobType(), lazy: true })
  bytes!: Buffer;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
