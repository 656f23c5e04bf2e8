// The key and certificate the HTTP and OpenTSDB listeners serve (HOOKLINE_TLS),
// loaded once by load-tls.ts.

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
}
