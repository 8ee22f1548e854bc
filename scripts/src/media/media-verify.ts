import fs from 'node:fs';

/** What the C2PA reference implementation says of a file's manifest and its signature. */
export interface ManifestVerification {
  /** c2pa-rs validation state (`Valid`, `Invalid`, `Trusted`), or `none` / `error`. */
  state: string;
  /** Validation status codes, e.g. `signingCredential.untrusted`, `assertion.dataHash.mismatch`. */
  codes: string[];
  message?: string;
}

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  heic: 'image/heic',
  avif: 'image/avif',
  bmff: 'video/mp4',
  pdf: 'application/pdf'
};

type Wasm = typeof import('@contentauth/c2pa-wasm');
let loaded: Promise<Wasm> | undefined;

// Loaded on first use only: the module is 9 MB of WebAssembly that plain scans never need.
function c2pa(): Promise<Wasm> {
  loaded ??= import('@contentauth/c2pa-wasm').then((wasm) => {
    wasm.initSync({ module: fs.readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
    return wasm;
  });
  return loaded;
}

/**
 * Full manifest reading and signature validation with c2pa-rs (compiled to WebAssembly): reads
 * the whole file, because validation hashes the asset. "Valid" with `signingCredential.untrusted`
 * means the signature and hashes check out but the signer is on no trust list configured here.
 */
export async function verifyManifest(file: string, format: string): Promise<ManifestVerification> {
  const mime = MIME[format];
  if (!mime) return { state: 'none', codes: [], message: `no C2PA reader for ${format}` };
  const wasm = await c2pa();
  try {
    const reader = await wasm.WasmReader.fromBytes(mime, fs.readFileSync(file));
    const store = JSON.parse(reader.json()) as {
      validation_state?: string;
      validation_status?: { code: string }[];
    };
    reader.free();
    return {
      state: store.validation_state ?? 'Valid',
      codes: (store.validation_status ?? []).map((s) => s.code)
    };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/JumbfNotFound|ManifestNotFound/.test(message)) return { state: 'none', codes: [] };
    return { state: 'error', codes: [], message };
  }
}
