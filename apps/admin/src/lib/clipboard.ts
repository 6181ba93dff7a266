/**
 * Copies text. The Clipboard API works on https and localhost; on a plain-http address the browser
 * withholds it, so the text is selected in its field instead and the caller says so.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
