import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseWindowState, serializeWindowState, type WindowState } from './window-state';

/** Reads the remembered window state; a missing or unreadable file means the defaults. */
export async function readWindowState(file: string): Promise<WindowState> {
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = null;
  }
  return parseWindowState(text);
}

/** Writes the state atomically (temp file + rename), so a crash mid-write never leaves half a file. */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, serializeWindowState(state), 'utf8');
  await rename(temp, file);
}
