import { digestsIn, loadAuditNoteVectors, noteDigest, tamperedNotes } from './audit-notes';

const vectors = loadAuditNoteVectors();

describe('audit notes on the shared vectors (AuditNotesTest runs the same)', () => {
  it.each(vectors.notes)('digests $text', ({ nonce, text, digest }) => {
    expect(noteDigest(nonce, text)).toBe(digest);
  });

  it.each(vectors.payloads)('finds the note digests of $payload', ({ payload, digests }) => {
    expect(digestsIn(payload)).toEqual(digests);
  });

  it('tells an edited note from an intact one', () => {
    const [intact] = vectors.notes;
    expect(tamperedNotes([intact!])).toEqual([]);
    const edited = { ...intact!, text: `${intact!.text}.` };
    expect(tamperedNotes([intact!, edited])).toEqual([edited]);
  });
});
