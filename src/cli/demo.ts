// `hookline demo`: `hookline serve` with demo mode on (the same as
// `npm start -- --demo`); every serve option applies, e.g. --demo-period 2s.

export async function run(argv: string[]): Promise<number> {
  const { run: serve } = await import('./serve.ts');
  return serve(['--demo', ...argv]);
}
