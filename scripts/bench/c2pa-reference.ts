// Child process of the media agreement bench: reads every file of a folder with the C2PA
// reference implementation (c2pa-rs in WebAssembly), as `sdg scan --verify` does, and prints one
// JSON line per file. Started the same way as `sdg` (tsx), so both sides pay a process start.
import { listFiles, referenceRead } from '../src/media/media-verify';

async function main(): Promise<void> {
  for (const file of listFiles(process.argv[2] ?? '.'))
    process.stdout.write(`${JSON.stringify({ file, ...(await referenceRead(file)) })}\n`);
}

void main();
