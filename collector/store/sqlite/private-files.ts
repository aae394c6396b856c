import { chmodSync, closeSync, fstatSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data directory holds every project's telemetry and the meta database (password and
 * key hashes): only the collector's user may enter it. A looser directory we own is
 * tightened (and said so on stderr); one we do not own is left alone with a warning.
 */
export function ensurePrivateDir(dir: string, warn: (line: string) => void = defaultWarn): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if ((st.mode & 0o077) === 0) return;
  const mode = (st.mode & 0o777).toString(8);
  if (typeof process.getuid === 'function' && st.uid === process.getuid()) {
    chmodSync(dir, 0o700);
    warn(`tapscope: data directory ${dir} was mode ${mode}; set to 700 (only the collector's user may read it)`);
  } else {
    warn(`tapscope: data directory ${dir} is mode ${mode} and not owned by this user; other users may read the collector's data`);
  }
}

/**
 * Creates the database file 0600 before SQLite opens it (SQLite gives its -wal and -shm files
 * the main file's mode), and tightens an existing one.
 */
export function ensurePrivateFile(file: string): void {
  if (file === ':memory:' || file.startsWith('file:')) return;
  const fd = openSync(file, 'a', 0o600);
  try {
    if ((fstatSync(fd).mode & 0o077) !== 0) fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function defaultWarn(line: string): void {
  process.stderr.write(line + '\n');
}
