/**
 * Deterministic pseudo-random bytes of any length, generated as they are read (AES-CTR over
 * zeros: fast and never held in memory whole), with their SHA-256 known once read.
 */
import { createCipheriv, createHash } from 'node:crypto';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export interface TestBytes extends AsyncIterable<Uint8Array> {
  /** Hex SHA-256 of everything yielded so far (all of it once the iteration finished). */
  sha256(): string;
  /** Bytes yielded so far. */
  readonly yielded: number;
}

export function testBytes(size: number, seed = 1, chunk = 256 * 1024): TestBytes {
  const key = Buffer.alloc(16, seed);
  const iv = Buffer.alloc(16, 0);
  const hash = createHash('sha256');
  let digest: string | undefined;
  const state = { yielded: 0 };
  const zeros = Buffer.alloc(chunk);
  return {
    get yielded() {
      return state.yielded;
    },
    sha256: () => (digest ??= hash.digest('hex')),
    async *[Symbol.asyncIterator]() {
      const cipher = createCipheriv('aes-128-ctr', key, iv);
      while (state.yielded < size) {
        const length = Math.min(chunk, size - state.yielded);
        const bytes = cipher.update(length === chunk ? zeros : zeros.subarray(0, length));
        hash.update(bytes);
        state.yielded += length;
        yield bytes;
      }
    },
  };
}
