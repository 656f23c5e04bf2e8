// Tests read JSON bodies and assert on their shape; typing them `any` there keeps
// the assertions readable (assert.deepEqual does the checking).
export {};
declare global {
  interface Response {
    json(): Promise<any>;
  }
}
