/**
 * The preview page's scenes (app/main.js renders them) and the screenshot each one gives:
 * `clip` is the element framed, `width` the browser window's.
 */
export const SHOTS: { scene: string; file: string; width: number; clip: string }[] = [
  { scene: 'badge', file: 'synthetic-badge.png', width: 1000, clip: '#stage' },
  { scene: 'badge-details', file: 'synthetic-badge-details.png', width: 560, clip: '#stage' },
  { scene: 'site-badge', file: 'synthetic-badge-site.png', width: 1000, clip: '#stage' },
  { scene: 'file-badge', file: 'synthetic-badge-file.png', width: 720, clip: '#stage' },
  { scene: 'review-queue', file: 'synthetic-review-queue.png', width: 1280, clip: '#stage' },
  { scene: 'review-dialog', file: 'synthetic-review-dialog.png', width: 1280, clip: 'body' },
  { scene: 'audit-timeline', file: 'synthetic-audit-timeline.png', width: 560, clip: '#stage' },
  {
    scene: 'audit-timeline-broken',
    file: 'synthetic-audit-timeline-broken.png',
    width: 560,
    clip: '#stage'
  },
  { scene: 'recall-requested', file: 'synthetic-recall-requested.png', width: 760, clip: '#stage' },
  { scene: 'recall-applied', file: 'synthetic-recall-applied.png', width: 760, clip: '#stage' },
  { scene: 'alert-admin', file: 'synthetic-alert-admin.png', width: 1280, clip: '#stage' }
];
