/** The version of `@ferry/core`, as in its package.json; sent in the default `User-Agent: ferry/<version>`. */
export const VERSION = "0.0.0";
