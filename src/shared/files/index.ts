export { StoredFile, FilePurpose } from './file.entity.js';
export { FILE_RULES, FILES_PATH, FileRejected, checkFile, fileInfo, fileUrl, postgresFileStorage, type FileStorage, type NewFile } from './files.js';
