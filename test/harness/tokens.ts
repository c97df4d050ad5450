// Token alphabets the token tests share (components/shared/tokens/tokens.ts TOKEN_PATTERN, RFC 6750 b64token).

/** Every character a token may have before its `=` padding. */
export const B64TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
