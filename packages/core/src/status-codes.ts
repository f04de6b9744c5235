/**
 * HTTP status codes by name, with their standard reason phrases (IANA registry, as httpx lists them).
 *
 * @module
 */

// One row per code: the table is the single source for both the named constants and the phrase lookup.
const STATUS_TABLE = [
  ["CONTINUE", 100, "Continue"],
  ["SWITCHING_PROTOCOLS", 101, "Switching Protocols"],
  ["PROCESSING", 102, "Processing"],
  ["EARLY_HINTS", 103, "Early Hints"],
  ["OK", 200, "OK"],
  ["CREATED", 201, "Created"],
  ["ACCEPTED", 202, "Accepted"],
  ["NON_AUTHORITATIVE_INFORMATION", 203, "Non-Authoritative Information"],
  ["NO_CONTENT", 204, "No Content"],
  ["RESET_CONTENT", 205, "Reset Content"],
  ["PARTIAL_CONTENT", 206, "Partial Content"],
  ["MULTI_STATUS", 207, "Multi-Status"],
  ["ALREADY_REPORTED", 208, "Already Reported"],
  ["IM_USED", 226, "IM Used"],
  ["MULTIPLE_CHOICES", 300, "Multiple Choices"],
  ["MOVED_PERMANENTLY", 301, "Moved Permanently"],
  ["FOUND", 302, "Found"],
  ["SEE_OTHER", 303, "See Other"],
  ["NOT_MODIFIED", 304, "Not Modified"],
  ["USE_PROXY", 305, "Use Proxy"],
  ["TEMPORARY_REDIRECT", 307, "Temporary Redirect"],
  ["PERMANENT_REDIRECT", 308, "Permanent Redirect"],
  ["BAD_REQUEST", 400, "Bad Request"],
  ["UNAUTHORIZED", 401, "Unauthorized"],
  ["PAYMENT_REQUIRED", 402, "Payment Required"],
  ["FORBIDDEN", 403, "Forbidden"],
  ["NOT_FOUND", 404, "Not Found"],
  ["METHOD_NOT_ALLOWED", 405, "Method Not Allowed"],
  ["NOT_ACCEPTABLE", 406, "Not Acceptable"],
  ["PROXY_AUTHENTICATION_REQUIRED", 407, "Proxy Authentication Required"],
  ["REQUEST_TIMEOUT", 408, "Request Timeout"],
  ["CONFLICT", 409, "Conflict"],
  ["GONE", 410, "Gone"],
  ["LENGTH_REQUIRED", 411, "Length Required"],
  ["PRECONDITION_FAILED", 412, "Precondition Failed"],
  ["REQUEST_ENTITY_TOO_LARGE", 413, "Request Entity Too Large"],
  ["REQUEST_URI_TOO_LONG", 414, "Request-URI Too Long"],
  ["UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported Media Type"],
  ["REQUESTED_RANGE_NOT_SATISFIABLE", 416, "Requested Range Not Satisfiable"],
  ["EXPECTATION_FAILED", 417, "Expectation Failed"],
  ["IM_A_TEAPOT", 418, "I'm a teapot"],
  ["MISDIRECTED_REQUEST", 421, "Misdirected Request"],
  ["UNPROCESSABLE_ENTITY", 422, "Unprocessable Entity"],
  ["LOCKED", 423, "Locked"],
  ["FAILED_DEPENDENCY", 424, "Failed Dependency"],
  ["TOO_EARLY", 425, "Too Early"],
  ["UPGRADE_REQUIRED", 426, "Upgrade Required"],
  ["PRECONDITION_REQUIRED", 428, "Precondition Required"],
  ["TOO_MANY_REQUESTS", 429, "Too Many Requests"],
  ["REQUEST_HEADER_FIELDS_TOO_LARGE", 431, "Request Header Fields Too Large"],
  ["UNAVAILABLE_FOR_LEGAL_REASONS", 451, "Unavailable For Legal Reasons"],
  ["INTERNAL_SERVER_ERROR", 500, "Internal Server Error"],
  ["NOT_IMPLEMENTED", 501, "Not Implemented"],
  ["BAD_GATEWAY", 502, "Bad Gateway"],
  ["SERVICE_UNAVAILABLE", 503, "Service Unavailable"],
  ["GATEWAY_TIMEOUT", 504, "Gateway Timeout"],
  ["HTTP_VERSION_NOT_SUPPORTED", 505, "HTTP Version Not Supported"],
  ["VARIANT_ALSO_NEGOTIATES", 506, "Variant Also Negotiates"],
  ["INSUFFICIENT_STORAGE", 507, "Insufficient Storage"],
  ["LOOP_DETECTED", 508, "Loop Detected"],
  ["NOT_EXTENDED", 510, "Not Extended"],
  ["NETWORK_AUTHENTICATION_REQUIRED", 511, "Network Authentication Required"],
] as const;

type StatusRow = (typeof STATUS_TABLE)[number];

/** The name of every known status code, such as `"NOT_FOUND"`. */
export type StatusCodeName = StatusRow[0];

/** Every status code Ferry knows by name, keyed by that name (`codes.NOT_FOUND === 404`). */
export type StatusCodes = { readonly [Row in StatusRow as Row[0]]: Row[1] };

const PHRASES: ReadonlyMap<number, string> = new Map(STATUS_TABLE.map(([, code, phrase]) => [code, phrase]));

/** Lookups and range checks that accompany the named status codes. */
export interface StatusCodeHelpers {
  /** The standard reason phrase of `code` (`"Not Found"` for 404), or `""` when the code is unknown. */
  getReasonPhrase(code: number): string;
  /** Whether `code` is 1xx. */
  isInformational(code: number): boolean;
  /** Whether `code` is 2xx. */
  isSuccess(code: number): boolean;
  /** Whether `code` is 3xx. */
  isRedirect(code: number): boolean;
  /** Whether `code` is 4xx. */
  isClientError(code: number): boolean;
  /** Whether `code` is 5xx. */
  isServerError(code: number): boolean;
  /** Whether `code` is 4xx or 5xx. */
  isError(code: number): boolean;
}

const helpers: StatusCodeHelpers = {
  getReasonPhrase: (code) => PHRASES.get(code) ?? "",
  isInformational: (code) => code >= 100 && code <= 199,
  isSuccess: (code) => code >= 200 && code <= 299,
  isRedirect: (code) => code >= 300 && code <= 399,
  isClientError: (code) => code >= 400 && code <= 499,
  isServerError: (code) => code >= 500 && code <= 599,
  isError: (code) => code >= 400 && code <= 599,
};

/**
 * HTTP status codes as named numeric constants (`codes.OK === 200`, `codes.IM_A_TEAPOT === 418`), with
 * `codes.getReasonPhrase(code)` and the range checks `isInformational`, `isSuccess`, `isRedirect`,
 * `isClientError`, `isServerError` and `isError`.
 */
export const codes: StatusCodes & StatusCodeHelpers = Object.freeze({
  ...(Object.fromEntries(STATUS_TABLE.map(([name, code]) => [name, code])) as StatusCodes),
  ...helpers,
});
