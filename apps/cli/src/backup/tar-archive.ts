import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A minimal POSIX (ustar) archive of plain files, readable by `tar`: a
 * backup is one file an operator can move, list (`tar -tf`) and unpack by
 * hand, whatever number of databases it holds.
 */
const BLOCK = 512;
const CHUNK = 1 << 20;
/** Names this archive writes and reads: plain file names, nothing that could leave the folder. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface ArchivedFile {
  name: string;
  bytes: number;
  sha256: string;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, bytes: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(bytes, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0' + '00', 257, 'ascii');
  block.write(octal(checksum(block), 7) + ' ', 148, 'ascii');
  return block;
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block.readUInt8(i);
  return sum;
}

function padding(bytes: number): number {
  return (BLOCK - (bytes % BLOCK)) % BLOCK;
}

/** Writes `files` (name and the path of their content) into the archive `target`, and syncs it. */
export function writeArchive(
  target: string,
  files: readonly { name: string; path: string }[],
): void {
  const out = openSync(target, 'w');
  const buffer = Buffer.alloc(CHUNK);
  try {
    for (const file of files) {
      if (!SAFE_NAME.test(file.name)) throw new Error(`${file.name} is not a plain file name`);
      const input = openSync(file.path, 'r');
      try {
        const { size, mtime } = fstatSync(input);
        writeSync(out, header(file.name, size, mtime));
        let copied = 0;
        while (copied < size) {
          const read = readSync(input, buffer, 0, Math.min(CHUNK, size - copied), copied);
          if (read === 0) throw new Error(`${file.path} shrank while it was archived`);
          writeSync(out, buffer, 0, read);
          copied += read;
        }
        writeSync(out, Buffer.alloc(padding(size)));
      } finally {
        closeSync(input);
      }
    }
    writeSync(out, Buffer.alloc(2 * BLOCK));
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
}

/** The SHA-256 of a file's content, read a chunk at a time. */
export function sha256Of(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(CHUNK);
  try {
    for (let read; (read = readSync(fd, buffer, 0, CHUNK, null)) > 0;) {
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function readExactly(fd: number, buffer: Buffer, length: number): void {
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, null);
    if (read === 0) throw new Error('the archive ends in the middle of a file');
    done += read;
  }
}

/**
 * Unpacks the archive `source` into the folder `into`, which must exist:
 * plain files only, each checked against its header, and answers what it
 * holds with each file's SHA-256.
 */
export function readArchive(source: string, into: string): ArchivedFile[] {
  const fd = openSync(source, 'r');
  const block = Buffer.alloc(BLOCK);
  const buffer = Buffer.alloc(CHUNK);
  const files: ArchivedFile[] = [];
  try {
    for (;;) {
      readExactly(fd, block, BLOCK);
      if (block.every((byte) => byte === 0)) return files;
      const name = block.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const bytes = parseInt(block.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim(), 8);
      const recorded = parseInt(block.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim(), 8);
      const type = block.toString('ascii', 156, 157);
      if (block.toString('ascii', 257, 262) !== 'ustar' || recorded !== checksum(block)) {
        throw new Error('not a backup archive (a header is not ustar, or its checksum is wrong)');
      }
      if (
        (type !== '0' && type !== '\0') ||
        !SAFE_NAME.test(name) ||
        !Number.isSafeInteger(bytes)
      ) {
        throw new Error(
          `the archive holds ${name || 'an entry'}, which is not a plain file of a backup`,
        );
      }
      const hash = createHash('sha256');
      const out = openSync(join(into, name), 'wx');
      try {
        for (let left = bytes; left > 0;) {
          const length = Math.min(CHUNK, left);
          readExactly(fd, buffer, length);
          writeSync(out, buffer, 0, length);
          hash.update(buffer.subarray(0, length));
          left -= length;
        }
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
      readExactly(fd, Buffer.alloc(BLOCK), padding(bytes));
      files.push({ name, bytes, sha256: hash.digest('hex') });
    }
  } finally {
    closeSync(fd);
  }
}
