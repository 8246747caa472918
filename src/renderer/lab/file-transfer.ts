import type { ExportedFile } from './lab-api-client';

/** Saves an exported recording: the desktop save dialog when there is one, else a Blob download link. */
export async function saveExport(file: ExportedFile): Promise<string | null> {
  const bridge = window.trustyLab;
  if (bridge) {
    const saved = await bridge.saveRecordingDialog(file.fileName, file.content);
    return saved?.name ?? null;
  }
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: the download reads the blob asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file.fileName;
}
