import type http from 'node:http';
import { bearerToken, type HttpRoute, type RouteAnswer, type Runtime } from '../../shared/runtime/index.js';
import { AppError } from '../../shared/errors/index.js';
import { FILES_PATH, FilePurpose, FileRejected, fileUrl, postgresFileStorage, type FileStorage } from '../../shared/files/index.js';
import type { Viewer } from '../../shared/access/index.js';
import { resolveViewer } from '../auth/index.js';
import { canReadTicket, Ticket } from '../tickets/index.js';

const storage: FileStorage = postgresFileStorage;

const json = (status: number, body: unknown): RouteAnswer => ({ status, body });

/** The request's viewer, or the answer refusing it (401 for a missing or dead token). */
async function viewerOf(runtime: Runtime, req: http.IncomingMessage): Promise<Viewer | RouteAnswer> {
  try {
    const viewer = await resolveViewer(runtime, () => runtime.orm.em.fork(), bearerToken(req));
    if (viewer.kind === 'ANONYMOUS') return json(401, { error: 'Sign in first: send Authorization: Bearer <token>.' });
    return viewer;
  } catch (err) {
    if (err instanceof AppError) return json(401, { error: err.message });
    throw err;
  }
}

const isAnswer = (v: Viewer | RouteAnswer): v is RouteAnswer => 'status' in v;

/**
 * `POST /files?purpose=LOGO|ATTACHMENT[&name=…]` — the one authenticated upload endpoint
 * (design.md "Files"): the body is the file's bytes. Its kind is read from the bytes (magic
 * numbers), never from the declared Content-Type; a logo is PNG/JPEG/WebP up to 1 MB. Answers
 * 201 with the file's id (to pass to setSellerLogo or a ticket message) and URL; 413 too
 * large, 415 not an accepted kind, 401/403 for callers who may not upload it.
 */
const upload: HttpRoute = {
  path: '/files',
  methods: ['POST'],
  async handle(runtime, req, _raw, url, bytes) {
    const viewer = await viewerOf(runtime, req);
    if (isAnswer(viewer)) return viewer;
    if (viewer.kind === 'INTEGRATION' || viewer.kind === 'ANONYMOUS') return json(403, { error: 'Files are uploaded by signed-in users.' });
    const purpose = url.searchParams.get('purpose');
    if (purpose !== FilePurpose.LOGO && purpose !== FilePurpose.ATTACHMENT) return json(400, { error: 'Say what the file is for: ?purpose=LOGO or ?purpose=ATTACHMENT.' });
    if (purpose === FilePurpose.LOGO && viewer.kind === 'CUSTOMER') return json(403, { error: 'Logos are uploaded by sellers and operator staff.' });
    const name = url.searchParams.get('name');
    try {
      const file = await storage.put(runtime.orm.em.fork(), {
        purpose,
        bytes,
        fileName: name ? name.replace(/[\u0000-\u001f/\\]/g, '').slice(0, 200) || null : null,
        uploadedById: viewer.user.id,
        sellerId: viewer.kind === 'CUSTOMER' ? null : viewer.seller.id,
      });
      return json(201, { id: file.id, url: fileUrl(runtime.config.publicUrl, file.id), contentType: file.contentType, size: file.size, purpose: file.purpose });
    } catch (err) {
      if (err instanceof FileRejected) return json(err.status, { error: err.message });
      throw err;
    }
  },
};

/** Whether the viewer may read an attachment: its uploader, or whoever may read a ticket it is attached to. */
async function mayReadAttachment(runtime: Runtime, viewer: Viewer, fileId: string, uploadedById: string | null | undefined): Promise<boolean> {
  if ((viewer.kind === 'CUSTOMER' || viewer.kind === 'SELLER' || viewer.kind === 'OPERATOR') && viewer.user.id === uploadedById) return true;
  const em = runtime.orm.em.fork();
  const rows = await em.execute<{ ticket_id: string }[]>(`select distinct ticket_id from ticket_message where attachment_ids @> ?::jsonb`, [JSON.stringify([fileId])]);
  if (!rows.length) return false;
  const tickets = await em.find(Ticket, { id: { $in: rows.map((r) => r.ticket_id) } });
  return tickets.some((t) => canReadTicket(viewer, t));
}

/**
 * `GET /files/<id>`: logos to anyone, with long cache headers (a file never changes; a new
 * logo is a new URL); attachments only to who may read their ticket (404 to everybody else,
 * so ids reveal nothing).
 */
const download: HttpRoute = {
  path: FILES_PATH,
  methods: ['GET'],
  async handle(runtime, req, _raw, url) {
    const id = url.pathname.slice(FILES_PATH.length);
    const file = await storage.get(runtime.orm.em.fork(), id);
    const missing = json(404, { error: 'No file here.' });
    if (!file) return missing;
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'content-length': String(file.size),
      etag: `"${file.sha256}"`,
      'x-content-type-options': 'nosniff',
    };
    if (file.purpose === FilePurpose.LOGO) {
      return { status: 200, body: null, bytes: file.bytes, headers: { ...headers, 'cache-control': 'public, max-age=31536000, immutable' } };
    }
    const viewer = await viewerOf(runtime, req);
    if (isAnswer(viewer)) return viewer;
    if (!(await mayReadAttachment(runtime, viewer, file.id, file.uploadedById))) return missing;
    return {
      status: 200,
      body: null,
      bytes: file.bytes,
      headers: { ...headers, 'cache-control': 'private, max-age=300', 'content-disposition': `attachment${file.fileName ? `; filename="${file.fileName.replace(/"/g, '')}"` : ''}` },
    };
  },
};

export const fileRoutes: HttpRoute[] = [upload, download];
