import fs from 'node:fs';
import { iptcTerm } from './jumbf';

/** What the C2PA reference implementation says of a file's manifest and its signature. */
export interface ManifestVerification {
  /** c2pa-rs validation state (`Valid`, `Invalid`, `Trusted`), or `none` / `error`. */
  state: string;
  /** Validation status codes, e.g. `signingCredential.untrusted`, `assertion.dataHash.mismatch`. */
  codes: string[];
  message?: string;
  /** What the reference implementation's manifest store declares (present when it read one). */
  digitalSourceType?: string | null;
  generator?: string | null;
}

interface JsonAction {
  digitalSourceType?: string;
  parameters?: Record<string, unknown>;
}

// c2pa-rs's JSON can carry the source type in the action's parameters (as Adobe Firefly's
// c2pa.actions.v2 shows: "com.adobe.digitalSourceType") rather than as the action's own field.
function declaredType(action: JsonAction): string | undefined {
  if (typeof action.digitalSourceType === 'string') return action.digitalSourceType;
  const fromParameters = Object.entries(action.parameters ?? {}).find(
    ([key, value]) => /(^|\.)digitalSourceType$/.test(key) && typeof value === 'string'
  );
  return fromParameters?.[1] as string | undefined;
}

interface StoreJson {
  active_manifest?: string;
  manifests?: Record<
    string,
    {
      claim_generator?: string;
      claim_generator_info?: { name?: string }[];
      assertions?: { label?: string; data?: { actions?: JsonAction[] } }[];
      ingredients?: { active_manifest?: string }[];
    }
  >;
  validation_state?: string;
  validation_status?: { code: string }[];
}

/**
 * The digital source type the store declares: the active manifest's actions, else the newest
 * ingredient manifest's (the fast path's rule), walking ingredients breadth first.
 */
export function storeDeclaration(
  store: StoreJson
): Pick<ManifestVerification, 'digitalSourceType' | 'generator'> {
  const manifests = store.manifests ?? {};
  const active = store.active_manifest ? manifests[store.active_manifest] : undefined;
  const generator = active?.claim_generator_info?.[0]?.name ?? active?.claim_generator ?? null;
  const queue = store.active_manifest ? [store.active_manifest] : [];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const label = queue.shift() as string;
    if (seen.has(label)) continue;
    seen.add(label);
    const manifest = manifests[label];
    for (const assertion of manifest?.assertions ?? []) {
      if (!/^c2pa\.actions(\.v\d+)?(__\d+)?$/.test(assertion.label ?? '')) continue;
      const declared = (assertion.data?.actions ?? []).map(declaredType).find(Boolean);
      if (declared) return { digitalSourceType: iptcTerm(declared), generator };
    }
    for (const ingredient of manifest?.ingredients ?? [])
      if (ingredient.active_manifest) queue.push(ingredient.active_manifest);
  }
  return { digitalSourceType: null, generator };
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
  pdf: 'application/pdf',
  gif: 'image/gif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  avi: 'video/x-msvideo',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  jxl: 'image/jxl',
  m4a: 'audio/mp4'
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
  return verifyBytes(mime, fs.readFileSync(file));
}

async function verifyBytes(mime: string, bytes: Buffer): Promise<ManifestVerification> {
  const wasm = await c2pa();
  try {
    const reader = await wasm.WasmReader.fromBytes(mime, bytes);
    const store = JSON.parse(reader.json()) as StoreJson;
    reader.free();
    return {
      state: store.validation_state ?? 'Valid',
      codes: (store.validation_status ?? []).map((s) => s.code),
      ...storeDeclaration(store)
    };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/JumbfNotFound|ManifestNotFound/.test(message)) return { state: 'none', codes: [] };
    return { state: 'error', codes: [], message };
  }
}

const EXTENSION_MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  dng: 'image/x-adobe-dng',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  mov: 'video/quicktime',
  avi: 'video/x-msvideo',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  jxl: 'image/jxl',
  pdf: 'application/pdf'
};

/** Every file under a folder, sorted (the bench's two sides walk it the same way). */
export function listFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = `${target}/${entry.name}`;
      if (entry.isDirectory()) return listFiles(full);
      return entry.isFile() && !entry.name.startsWith('.') ? [full] : [];
    });
}

/**
 * What the reference implementation reads in a file, its type taken from the file extension
 * (as c2patool does): used by the agreement bench.
 */
export async function referenceRead(file: string): Promise<ManifestVerification> {
  const mime = EXTENSION_MIME[file.slice(file.lastIndexOf('.') + 1).toLowerCase()];
  if (!mime) return { state: 'none', codes: [], message: 'no MIME type for the extension' };
  return verifyBytes(mime, fs.readFileSync(file));
}
