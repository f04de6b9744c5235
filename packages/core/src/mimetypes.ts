/**
 * A small table of media types by file extension, used to label multipart file uploads that were given no
 * content type. Covers the types people upload in practice; anything else is `application/octet-stream`.
 *
 * @module
 */

const TYPES_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ["txt", "text/plain"],
  ["text", "text/plain"],
  ["log", "text/plain"],
  ["md", "text/markdown"],
  ["markdown", "text/markdown"],
  ["html", "text/html"],
  ["htm", "text/html"],
  ["css", "text/css"],
  ["csv", "text/csv"],
  ["tsv", "text/tab-separated-values"],
  ["ics", "text/calendar"],
  ["js", "text/javascript"],
  ["mjs", "text/javascript"],
  ["cjs", "text/javascript"],
  ["json", "application/json"],
  ["jsonld", "application/ld+json"],
  ["map", "application/json"],
  ["xml", "application/xml"],
  ["yaml", "application/yaml"],
  ["yml", "application/yaml"],
  ["toml", "application/toml"],
  ["pdf", "application/pdf"],
  ["zip", "application/zip"],
  ["gz", "application/gzip"],
  ["tgz", "application/gzip"],
  ["tar", "application/x-tar"],
  ["bz2", "application/x-bzip2"],
  ["xz", "application/x-xz"],
  ["7z", "application/x-7z-compressed"],
  ["wasm", "application/wasm"],
  ["doc", "application/msword"],
  ["docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ["xls", "application/vnd.ms-excel"],
  ["xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ["ppt", "application/vnd.ms-powerpoint"],
  ["pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"],
  ["odt", "application/vnd.oasis.opendocument.text"],
  ["rtf", "application/rtf"],
  ["epub", "application/epub+zip"],
  ["png", "image/png"],
  ["jpg", "image/jpeg"],
  ["jpeg", "image/jpeg"],
  ["gif", "image/gif"],
  ["webp", "image/webp"],
  ["avif", "image/avif"],
  ["svg", "image/svg+xml"],
  ["ico", "image/vnd.microsoft.icon"],
  ["bmp", "image/bmp"],
  ["tif", "image/tiff"],
  ["tiff", "image/tiff"],
  ["heic", "image/heic"],
  ["mp3", "audio/mpeg"],
  ["wav", "audio/wav"],
  ["ogg", "audio/ogg"],
  ["oga", "audio/ogg"],
  ["flac", "audio/flac"],
  ["aac", "audio/aac"],
  ["m4a", "audio/mp4"],
  ["weba", "audio/webm"],
  ["mp4", "video/mp4"],
  ["m4v", "video/mp4"],
  ["webm", "video/webm"],
  ["ogv", "video/ogg"],
  ["mov", "video/quicktime"],
  ["avi", "video/x-msvideo"],
  ["mpeg", "video/mpeg"],
  ["woff", "font/woff"],
  ["woff2", "font/woff2"],
  ["ttf", "font/ttf"],
  ["otf", "font/otf"],
]);

/**
 * The media type for a file name, guessed from its extension (case-insensitive), or `undefined` when the
 * extension is missing or not in the table.
 */
export function guessMimeType(filename: string): string | undefined {
  const dot = filename.lastIndexOf(".");
  // A leading dot is a hidden file (".bashrc"), not an extension; a slash after the dot means a directory's.
  if (dot <= 0 || filename.includes("/", dot) || filename.includes("\\", dot)) return undefined;
  return TYPES_BY_EXTENSION.get(filename.slice(dot + 1).toLowerCase());
}
