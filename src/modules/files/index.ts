// The one authenticated upload endpoint and file downloads (design.md "Files"); the storage
// interface, magic-byte checks and the stored_file table are in src/shared/files.
export { fileRoutes } from './files.routes.js';
