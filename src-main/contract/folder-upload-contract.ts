// A folder dropped on the browser host's page is uploaded file by file: the page walks it no
// deeper and no wider than the host takes, so a drop fails before its first upload, not halfway.

/** Subfolders below the dropped folder itself. */
export const MAX_DROPPED_FOLDER_DEPTH = 16;
/** Path components of one uploaded file: the dropped folder's name, its subfolders, the file's name. */
export const MAX_UPLOAD_PATH_PARTS = MAX_DROPPED_FOLDER_DEPTH + 2;
/** Files and folders the page reads in one dropped folder (a disk dropped by mistake is not walked). */
export const MAX_DROPPED_FOLDER_ENTRIES = 50_000;
