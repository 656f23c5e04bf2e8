// `hookline tls`: being built (see the open issues).
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('hookline tls: not available yet\n');
  return 2;
}
