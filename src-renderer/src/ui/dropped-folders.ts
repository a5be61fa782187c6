// A folder dropped on the browser host's page: the page gets neither its path nor a File it can
// upload (reading one fails), so the drop is refused in words before anything is sent.

/** What a drop's items offer: their file-system entry, which says whether each is a folder. */
export interface DroppedItem {
  kind: string;
  webkitGetAsEntry(): { isDirectory: boolean; name: string } | null;
}

/** The names of the dropped items that are folders. */
export function droppedFolderNames(items: ArrayLike<DroppedItem>): string[] {
  const names: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const entry = items[i]!.kind === 'file' ? items[i]!.webkitGetAsEntry() : null;
    if (entry?.isDirectory) names.push(entry.name);
  }
  return names;
}

/** Why a dropped folder is not opened in the browser, and what to do instead. */
export function droppedFolderRefusal(names: string[]): { title: string; message: string; fix: string } {
  const which = names.length === 1 ? `"${names[0]}" is a folder` : `${names.map((n) => `"${n}"`).join(', ')} are folders`;
  return {
    title: 'A folder cannot be dropped into the browser',
    message: `${which}: a web page is not told where a dropped folder is, and Thunk triages a folder where it is, with its DLLs beside each other.`,
    fix: 'Type the folder\'s path in the box below (the browser host reads this computer\'s files), or drop the folder onto the desktop app.',
  };
}
