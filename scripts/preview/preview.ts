import { buildPreview } from './build';
import { SHOTS } from './scenes';
import { servePreview } from './serve';

/** `npm run preview`: builds the preview page and serves it until Ctrl+C. */
async function main(): Promise<void> {
  for (const warning of await buildPreview()) console.warn(`warning: ${warning}`);
  const port = Number(process.env.PREVIEW_PORT ?? 4173);
  const server = await servePreview(port);
  console.log(`Component preview: ${server.url}`);
  for (const { scene } of SHOTS) console.log(`  ${server.url}#${scene}`);
  console.log('Ctrl+C stops it.');
}

main().catch((error: Error) => {
  console.error(
    `Preview failed: ${error.message}. Another port: PREVIEW_PORT=4180 npm run preview`
  );
  process.exit(1);
});
