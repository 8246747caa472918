/**
 * Said in the inspector when the provider records nothing (`serve --no-capture`): the diagram then
 * holds only the demo client's own view of its requests, with none of the server's checks, and an
 * empty or thin diagram would otherwise pass for a provider that did nothing.
 */
export function CaptureOffNotice({ capture }: { capture: boolean | undefined }) {
  if (capture !== false) return null;
  return (
    <p className="notice" role="note">
      Capture is off (<code>trusty-lab serve --no-capture</code>): the provider records nothing, so the
      diagram shows only what the demo client sent and received, without the server’s checks.
    </p>
  );
}
