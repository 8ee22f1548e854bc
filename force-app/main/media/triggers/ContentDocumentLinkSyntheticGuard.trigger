/**
 * Applies an already scanned file's media evidence to records it is newly linked to. No logic
 * here: see MediaScanService.
 */
trigger ContentDocumentLinkSyntheticGuard on ContentDocumentLink(after insert) {
  MediaScanService.run();
}
